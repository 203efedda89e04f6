"""Candidate generation: the listed names a query's words point to, ranked by evidence.

:class:`CandidateFinder` is the candidate half of :class:`.index.ScreeningIndex` (the index
builds the postings, weights and lookups it reads; :mod:`.scoring` aligns the candidates). See
the index module's docstring, step 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, compress, repeat
from operator import add, ge, neg, truediv

from screening.engine.normalize import Token, make_token
from screening.engine.scoring import CONTENT_KINDS, ListedName, PreparedQuery

_NOT_JOINED = frozenset({"number", "legal"})
"""Query tokens not tried written together with a neighbour (``limited liability`` as
``limitedliability`` finds every LLC on the list and tells nothing)."""
COMMON_POSTINGS = 2000
"""A listed token in more names than this only adds evidence to names found through the
query's rarer words (when there are any) and to names holding two or more of the query's
common words: it does not bring new candidates on its own."""
_MOST_COMMON_TERMS = 8
"""How many of a query's common words are paired to find names holding two of them."""
_TERM_CACHE_ITEMS = 2_000_000
"""How many (name, weight) items the per-term evidence cache holds before it starts again."""

TermEvidence = tuple[float, dict[int, float] | None, list[tuple[float, int]] | None]


class CandidateFinder:
    """The candidate methods of :class:`.index.ScreeningIndex` over the tables it builds."""

    _names: list[ListedName]
    _vocabulary: dict[str, int]
    _postings: list[tuple[int, ...]]
    _idf: list[float]
    _unknown_idf: float
    _name_weight: list[float]
    _term_cache: dict[str, TermEvidence]
    _term_cache_size: int
    _posting_sets: dict[int, frozenset[int]]

    def _lookup(self, token: Token, joined: bool = False) -> list[tuple[int, float]]:
        raise NotImplementedError  # the index looks a token up in its vocabulary

    def _posting_set(self, token_id: int) -> frozenset[int]:
        """The names holding a common token, as a set (made on first use)."""
        names = self._posting_sets.get(token_id)
        if names is None:
            names = self._posting_sets[token_id] = frozenset(self._postings[token_id])
        return names

    def _query_terms(self, tokens: Sequence[Token]) -> list[tuple[Token, bool]]:
        """The query's content words (or all its tokens when it has none), then each two
        adjacent tokens written together; with whether the term is such a joined pair."""
        words = [token for token in tokens if token.kind in CONTENT_KINDS]
        terms = [(token, False) for token in words or tokens]
        terms += [
            (make_token(tokens[i].text + tokens[i + 1].text, "word", tokens[i].abjad), True)
            for i in range(len(tokens) - 1)
            if tokens[i].kind not in _NOT_JOINED and tokens[i + 1].kind not in _NOT_JOINED
        ]
        return terms

    def _term_evidence(self, term: Token, joined: bool) -> TermEvidence:
        """What a query term brings to :meth:`_candidates`: its weight in the query's total,
        the best ``weight * similarity`` per name holding a token found for it (the weight
        being the listed token's, or for a query word that is itself listed the mean of the
        two; ``None`` when nothing is found) and, for a term whose tokens are all common,
        those weights and tokens lightest first instead. Remembered per term text (read-only
        once made)."""
        key = term.text + ("\0a" if term.abjad else "") + ("\0j" if joined else "")
        known = self._term_cache.get(key)
        if known is not None:
            return known
        idf = self._idf
        postings = self._postings
        found = self._lookup(term, joined)
        own = None if joined else self._vocabulary.get(term.text)
        own_idf = 0.0
        if own is not None:
            # A listed word of the query counts as in the scoring: the mean of its own weight
            # and its partner's (a rare spelling of a common name brings no more than it).
            own_idf = idf[own]
            found = [(t, similarity * (own_idf + idf[t]) / (2 * idf[t])) for t, similarity in found]
        result: TermEvidence
        if not found:
            result = (self._unknown_idf, None, None)
        elif all(len(postings[token_id]) > COMMON_POSTINGS for token_id, _ in found):
            result = (
                own_idf if own is not None else max([idf[token_id] for token_id, _ in found]),
                None,
                sorted([(idf[t] * similarity, t) for t, similarity in found]),
            )
        elif len(found) == 1:
            token_id, similarity = found[0]
            result = (
                own_idf if own is not None else idf[token_id],
                dict.fromkeys(postings[token_id], idf[token_id] * similarity),
                None,
            )
        else:
            weighted = sorted(
                [(idf[token_id] * similarity, token_id) for token_id, similarity in found]
            )
            # Lightest first, so that a name keeps the best weight among its tokens.
            best: dict[int, float] = {}
            for weight, token_id in weighted:
                best.update(dict.fromkeys(postings[token_id], weight))
            term_weight = own_idf if own is not None else max([idf[t] for t, _ in found])
            result = (term_weight, best, None)
        size = len(result[1]) if result[1] is not None else 1
        if self._term_cache_size + size > _TERM_CACHE_ITEMS:
            self._term_cache.clear()
            self._term_cache_size = 0
        self._term_cache[key] = result
        self._term_cache_size += size
        return result

    def _common_evidence(
        self, evidence: dict[int, float], common: list[list[tuple[float, int]]]
    ) -> dict[int, float]:
        """``evidence`` with the query's common words (tokens in thousands of names) counted.

        A common word adds its weight to the names already found through rarer words, and
        brings in the names holding two or more of the query's common words (``Ali
        Muhammad`` is found as ``MUHAMMAD, Ali`` even when a rarer spelling or two words
        written together found other names first); with nothing rarer and one common word,
        every name holding it counts, its best spelling's weight."""
        groups_per_term = [
            [(weight, self._posting_set(token_id)) for weight, token_id in reversed(weighted)]
            for weighted in common
        ]
        for groups in groups_per_term:
            for name_id, known in evidence.items():
                for weight, holders in groups:
                    if name_id in holders:
                        evidence[name_id] = known + weight
                        break
        if len(groups_per_term) == 1:
            if not evidence:
                postings = self._postings
                for weight, token_id in common[0]:  # lightest first: the best weight stays
                    evidence.update(dict.fromkeys(postings[token_id], weight))
            return evidence
        # Names holding two of the first few common words (a query of dozens of common words
        # would otherwise compare every pair of them).
        holding = [
            frozenset().union(*(holders for _, holders in groups))
            for groups in groups_per_term[:_MOST_COMMON_TERMS]
        ]
        several: set[int] = set()
        for first, second in combinations(holding, 2):
            several |= first & second
        several.difference_update(evidence)
        if not several and not evidence:
            # No name holds two of them: every name holding any counts, as one word would.
            for weighted in common:
                postings = self._postings
                for weight, token_id in weighted:
                    for name_id in postings[token_id]:
                        if weight > evidence.get(name_id, 0.0):
                            evidence[name_id] = weight
            return evidence
        found = dict.fromkeys(several, 0.0)
        for groups in groups_per_term:
            remaining = set(several)
            for weight, holders in groups:  # heaviest first: a name counts its best spelling
                hit = remaining & holders
                if hit:
                    remaining -= hit
                    for name_id in hit:
                        found[name_id] += weight
        evidence.update(found)
        return evidence

    def _candidates(self, query: PreparedQuery, limit: int) -> list[int]:
        """The ``limit`` names with the most shared-token evidence for the query.

        A term's evidence for a name is the best ``weight * similarity`` of the name's tokens
        found for it, the weight being the mean of the query word's and the listed word's (as
        in the scoring: a rare spelling of a common name brings no more than the name); names
        are ranked by the summed evidence over the query's and the name's total weight, the
        earlier name first among equals. A word the query holds twice counts twice only for
        names holding it twice; common words are counted by :meth:`_common_evidence`."""
        evidence: dict[int, float] = {}
        total_query_weight = 0.0
        common: list[list[tuple[float, int]]] = []
        term_evidence = self._term_evidence
        seen: set[str] = set()
        repeated: list[tuple[str, float]] = []
        for term, joined in self._query_terms(query.normalized.tokens):
            weight, best, weighted = term_evidence(term, joined)
            total_query_weight += weight
            if not joined:
                if term.key in seen:
                    # A word the query holds twice (Hassan Hassan) counts twice only for the
                    # names holding it twice, added below (once, however often it repeats).
                    if term.key not in {key for key, _ in repeated}:
                        repeated.append((term.key, weight))
                    continue
                seen.add(term.key)
            if weighted is not None:
                common.append(weighted)
            elif best is None:
                continue
            elif not evidence:
                evidence = dict(best)
            else:
                # The smaller dict is added to a copy of the larger one: the same sums
                # (addition is commutative), fewer Python steps.
                if len(best) > len(evidence):
                    evidence, best = dict(best), evidence
                # evidence[name] = evidence.get(name, 0.0) + weight, looped in C.
                added = best.keys()
                evidence.update(
                    zip(
                        added,
                        map(add, map(evidence.get, added, repeat(0.0)), best.values()),
                        strict=True,
                    )
                )
        if common:
            evidence = self._common_evidence(evidence, common)
        if repeated:
            listed = self._names
            for key, weight in repeated:
                for name_id, known in evidence.items():
                    tokens = listed[name_id].normalized.tokens
                    if sum([token.key == key for token in tokens]) >= 2:
                        evidence[name_id] = known + weight
        if not evidence:
            return []
        name_weight = self._name_weight
        # Ties go to the earlier name (a stable key, not the order the evidence was found in).
        # (weight / (total_query_weight + name_weight[name_id]), -name_id), computed in C; the
        # best `limit` of them are those at or above the limit-th largest score (a sort of
        # floats, in C), sorted: what heapq.nlargest gives, without its Python loop.
        names = list(evidence)
        scores = list(
            map(
                truediv,
                evidence.values(),
                map(add, repeat(total_query_weight), map(name_weight.__getitem__, names)),
            )
        )
        keyed = zip(scores, map(neg, names), strict=True)
        if len(scores) > limit:
            least = sorted(scores)[-limit]
            keyed = compress(keyed, map(ge, scores, repeat(least)))  # type: ignore[assignment]
        ranked = sorted(keyed, reverse=True)[:limit]
        return [-negative for _, negative in ranked]
