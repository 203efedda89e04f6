"""Scoring one listed name against a prepared query: token alignment.

Query tokens are paired one-to-one with the listed name's tokens, best similarity first (see
:mod:`.similarity`); one token may also pair with two adjacent tokens of the other name written
together (``Al Tikriti`` / ``Altikriti``). Words weigh their inverse
document frequency in the index (a rare surname counts far more than "Mohammed" or "Bank");
particles, legal forms and initials weigh a small constant. In a person's name, a fuzzy
pairing of a query word that is itself a listed word (Amini / Amidi: two real names, not a
typo) is discounted by :data:`KNOWN_WORD_DISCOUNT`. The name score is the weighted mean
similarity of the pairs, with unpaired tokens counted as zeros. For people, when two or more
real words pair well, unpaired tokens count less: a middle name or patronymic
:data:`MIDDLE_TOKEN_WEIGHT`, a dropped first name :data:`DROPPED_TOKEN_WEIGHT`, a second
surname :data:`SECOND_SURNAME_WEIGHT`, the first surname :data:`SURNAME_WEIGHT` (the
``LAST, First`` comma form tells which is which). For organisations, when two or more words
pair well and every word of the query is paired (a word of the listed name left out), the
listed words left unpaired count :data:`LEFT_OUT_WORD_WEIGHT`; otherwise every unpaired word
counts in full. Token order does not matter.

Qualifiers (:mod:`.qualifiers`) then adjust the score. :class:`NameScoring` holds the scoring
half of :class:`.index.ScreeningIndex`; the index builds the per-name tables it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.engine.normalize import NormalizedName, Token
from screening.engine.similarity import (
    MIN_TOKEN_SIMILARITY,
    spelling_similarity,
    token_similarity,
)

KNOWN_WORD_DISCOUNT = 0.16
DROPPED_TOKEN_WEIGHT = 0.5
MIDDLE_TOKEN_WEIGHT = 0.2
SURNAME_WEIGHT = 0.5
SECOND_SURNAME_WEIGHT = 0.5
LEFT_OUT_WORD_WEIGHT = 0.3
STRONG_PAIR = 0.8
JOINED_MIN_SIMILARITY = 0.9
CONTENT_KINDS = frozenset({"word", "number"})
_FUZZY_REASONS = frozenset({"typo", "same consonants"})
_PREFILTER_SIMILARITY = 0.55
"""Below this spelling similarity two plain tokens cannot pair (a pair needs 0.6 or more
before the consonant-skeleton boost, see :mod:`.similarity`)."""
_PREFILTER_JOINED = 0.85
"""Below this spelling similarity a word and two words written together cannot pair
(:data:`JOINED_MIN_SIMILARITY`)."""


@dataclass(frozen=True, slots=True)
class ListedName:
    entry_index: int
    text: str
    alias_type: str
    strength: str
    normalized: NormalizedName


PairTuple = tuple[int, int, float, str, float, int, int]
"""A :class:`TokenPair` as the scoring loop builds it (a plain tuple is cheaper to make)."""


def unmatched_factors(name: NormalizedName, matched: Iterable[int]) -> list[float]:
    """How much each token of a person's name counts when it is left unmatched.

    With the ``LAST, First Middle`` structure known, a middle given name (patronymic) counts
    :data:`MIDDLE_TOKEN_WEIGHT`, the first given name :data:`DROPPED_TOKEN_WEIGHT`, a second
    surname :data:`SECOND_SURNAME_WEIGHT` and the first surname :data:`SURNAME_WEIGHT`. Without
    it, a token between matched tokens counts as a middle name and any other as dropped.
    """
    tokens = name.tokens
    if name.given_count:
        factors: list[float] = []
        first_given = True
        first_surname = True
        for position, token in enumerate(tokens):
            content = token.kind in CONTENT_KINDS
            if position < name.given_count:
                factors.append(DROPPED_TOKEN_WEIGHT if first_given else MIDDLE_TOKEN_WEIGHT)
                first_given = first_given and not content
            else:
                factors.append(SURNAME_WEIGHT if first_surname else SECOND_SURNAME_WEIGHT)
                first_surname = first_surname and not content
        return factors
    return position_factors(len(tokens), list(matched))


def position_factors(count: int, positions: Sequence[int]) -> list[float]:
    """Without a known name structure: a token between matched tokens counts as a middle name,
    any other as dropped."""
    low, high = (min(positions), max(positions)) if positions else (0, 0)
    return [
        MIDDLE_TOKEN_WEIGHT if low < position < high else DROPPED_TOKEN_WEIGHT
        for position in range(count)
    ]


@dataclass(slots=True)
class NameScore:
    name_id: int
    score: float
    method: str
    pairs: list[PairTuple]
    unmatched_query: list[int]
    unmatched_listed: list[int]


Hit = tuple[float, int, str, int]
"""``(similarity, query index, reason, query token count)`` of a query token (or two adjacent
query tokens written together) against one listed token text."""
NO_HITS: tuple[tuple[Hit, ...], tuple[Hit, ...]] = ((), ())


@dataclass(slots=True)
class PreparedQuery:
    """A query prepared for scoring, with its per-query caches.

    ``cells`` maps a listed token's text to its hits against the query for a person's name and
    for any other name (the known-word discount applies to people only); ``joined_cells`` maps
    two adjacent listed tokens written together to ``(similarity, query index)`` hits. Both are
    filled on first use, from the first listed token met with that text.
    """

    text: str
    normalized: NormalizedName
    weights: list[float]
    known_word: list[bool]
    """The token is a word found in the index (for people, a fuzzy pairing is discounted)."""
    own_weight: list[bool]
    """Not a word missing from the index: paired alone, the token keeps its own weight."""
    content: list[bool]
    joined: list[str]
    joined_weights: list[float]
    factors: list[float] | None
    cells: dict[str, tuple[tuple[Hit, ...], tuple[Hit, ...]]]
    joined_cells: dict[str, tuple[tuple[float, int], ...]]


class NameScoring:
    """The scoring methods of :class:`.index.ScreeningIndex` over the tables it builds."""

    _names: list[ListedName]
    _tokens: list[Token]
    _by_key: dict[str, list[int]]
    _name_texts: list[tuple[str, ...]]
    _name_weights: list[tuple[float, ...]]
    _name_content: list[tuple[bool, ...]]
    _name_person: list[bool]
    _name_joined_texts: list[tuple[str, ...]]
    _name_joined_weights: list[tuple[float, ...]]
    _name_factors: list[tuple[float, ...] | None]
    _text_token: dict[str, Token | None]
    _special_texts: set[str]
    _vocabulary: dict[str, int]

    def _listed_weight(self, token: Token) -> float:
        raise NotImplementedError  # the index weighs a token by its rarity in the lists

    def _query_weight(self, token: Token) -> float:
        return self._listed_weight(token)

    def _prepare(self, text: str, normalized: NormalizedName) -> PreparedQuery:
        tokens = normalized.tokens
        vocabulary = self._vocabulary
        weights = [self._query_weight(token) for token in tokens]
        return PreparedQuery(
            text=text,
            normalized=normalized,
            weights=weights,
            known_word=[token.kind == "word" and token.text in vocabulary for token in tokens],
            own_weight=[
                not (token.kind == "word" and token.text not in vocabulary) for token in tokens
            ],
            content=[token.kind in CONTENT_KINDS for token in tokens],
            joined=[tokens[i].text + tokens[i + 1].text for i in range(len(tokens) - 1)],
            joined_weights=[sum(weights[i : i + 2]) for i in range(len(tokens) - 1)],
            factors=unmatched_factors(normalized, ()) if normalized.given_count else None,
            cells={},
            joined_cells={},
        )

    def _cells_for(
        self,
        query: PreparedQuery,
        listed: Token,
        single: Iterable[int] | None = None,
        joined_with: Iterable[int] | None = None,
    ) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
        """The hits of ``listed`` against the query tokens (one-to-one, and two adjacent query
        tokens written as one word), for a person's name and for any other name.

        ``single`` and ``joined_with`` limit the query tokens and adjacent pairs compared to
        those that can reach a hit (see :meth:`_prefill`); by default all are compared."""
        person: list[Hit] = []
        other: list[Hit] = []
        known_word = query.known_word
        query_tokens = query.normalized.tokens
        for query_index in range(len(query_tokens)) if single is None else single:
            similarity, reason = token_similarity(query_tokens[query_index], listed)
            if similarity > 0 and reason != "initial":
                other.append((similarity, query_index, reason, 1))
            if known_word[query_index] and reason in _FUZZY_REASONS:
                similarity -= KNOWN_WORD_DISCOUNT
                if similarity < MIN_TOKEN_SIMILARITY:
                    continue
                reason += ", both listed names"
            if similarity > 0:
                person.append((similarity, query_index, reason, 1))
        text = listed.text
        query_joined = query.joined
        for query_index in range(len(query_joined)) if joined_with is None else joined_with:
            joined = query_joined[query_index]
            if (text[0] == joined[0] or text[-1] == joined[-1]) and abs(
                len(text) - len(joined)
            ) <= 2:
                similarity = spelling_similarity(joined, text)
                if similarity >= JOINED_MIN_SIMILARITY:
                    hit = (similarity, query_index, "written as one word", 2)
                    other.append(hit)
                    person.append(hit)
        found = (tuple(person), tuple(other)) if person or other else NO_HITS
        query.cells[text] = found
        return found

    def _joined_cells_for(
        self, query: PreparedQuery, joined: str, single: Iterable[int] | None = None
    ) -> tuple[tuple[float, int], ...]:
        """Query tokens close to two adjacent listed tokens written together."""
        found: list[tuple[float, int]] = []
        query_tokens = query.normalized.tokens
        for query_index in range(len(query_tokens)) if single is None else single:
            text = query_tokens[query_index].text
            if (text[0] == joined[0] or text[-1] == joined[-1]) and abs(
                len(text) - len(joined)
            ) <= 2:
                similarity = spelling_similarity(text, joined)
                if similarity >= JOINED_MIN_SIMILARITY:
                    found.append((similarity, query_index))
        result = tuple(found)
        query.joined_cells[joined] = result
        return result

    def _prefill(self, query: PreparedQuery, name_ids: Sequence[int]) -> None:
        """Fill a fresh query's caches for the tokens of ``name_ids`` with one rapidfuzz call
        per query token (and per two adjacent query tokens written together).

        Equivalent to filling them one listed token at a time as :meth:`_score_name` meets
        them (the same token stands for a text): rapidfuzz only rules out the pairs whose
        spelling similarity is under :data:`_PREFILTER_SIMILARITY` (or, for words written
        together, :data:`_PREFILTER_JOINED`), which can score nothing (see
        :func:`.similarity.token_similarity`); a pair is still compared in full when the
        spellings are close, share a variant key, or either token is an initial or written in
        Arabic or Hebrew script. Caches already in use are left to :meth:`_score_name`.
        """
        if query.cells or query.joined_cells:
            return
        # Every text starts with no hits; the texts that have some are overwritten below.
        cells = dict.fromkeys(
            chain.from_iterable(map(self._name_texts.__getitem__, name_ids)), NO_HITS
        )
        joined_cells: dict[str, tuple[tuple[float, int], ...]] = dict.fromkeys(
            chain.from_iterable(map(self._name_joined_texts.__getitem__, name_ids)), ()
        )
        query.cells = cells
        query.joined_cells = joined_cells
        texts = list(cells)
        text_count = len(texts)
        pool = texts + list(joined_cells)
        query_tokens = query.normalized.tokens
        compared: dict[str, list[int]] = {}
        joined_single: dict[str, list[int]] = {}
        always: list[int] = []
        for query_index, token in enumerate(query_tokens):
            plain = not (token.abjad or token.kind == "initial")
            if not plain:
                always.append(query_index)
            for text, similarity, position in process.extract(
                token.text,
                pool,
                scorer=OSA.normalized_similarity,
                score_cutoff=_PREFILTER_SIMILARITY,
                limit=None,
            ):
                if position >= text_count:
                    if similarity >= _PREFILTER_JOINED:
                        joined_single.setdefault(text, []).append(query_index)
                elif plain:
                    compared.setdefault(text, []).append(query_index)
            if plain and token.kind != "number":
                for token_id in self._by_key.get(token.key, ()):
                    text = self._tokens[token_id].text
                    if text in cells:
                        indexes = compared.setdefault(text, [])
                        if query_index not in indexes:
                            indexes.append(query_index)
        joined_with: dict[str, list[int]] = {}
        for query_index, joined in enumerate(query.joined):
            for text, _, _ in process.extract(
                joined,
                texts,
                scorer=OSA.normalized_similarity,
                score_cutoff=_PREFILTER_JOINED,
                limit=None,
            ):
                joined_with.setdefault(text, []).append(query_index)
        every = range(len(query_tokens))
        special = self._special_texts
        with_hits: Iterable[str] = (
            texts if always else compared.keys() | joined_with.keys() | special.intersection(cells)
        )
        for text in with_hits:
            single: Sequence[int] = every
            if text not in special:
                single = sorted({*compared.get(text, ()), *always})
            joined_indexes = joined_with.get(text, ())
            if single or joined_indexes:
                token = self._first_token(text, name_ids)
                self._cells_for(query, token, single, joined_indexes)
        for joined, indexes in joined_single.items():
            self._joined_cells_for(query, joined, indexes)

    def _first_token(self, text: str, name_ids: Sequence[int]) -> Token:
        """The token a listed text stands for: the first one met in ``name_ids``."""
        token = self._text_token[text]
        if token is not None:
            return token
        for name_id in name_ids:
            for token in self._names[name_id].normalized.tokens:
                if token.text == text:
                    return token
        raise KeyError(text)

    def _score_bound(
        self,
        query: PreparedQuery,
        name_id: int,
        cells: list[tuple[float, float, int, int, str, int, int]],
    ) -> float:
        """An upper bound of the name score of ``name_id`` given its possible pairings.

        Whatever the alignment, a token with no pairing stays unpaired; every pair's
        similarity is at most the best one; the pairs' weights sum to at most half the
        weights the query and listed tokens with some pairing can bring; and an unpaired
        token counts at least its smallest factor: 1 when two strong pairs are impossible
        (at most one query or listed content token has a strong pairing), else
        :data:`MIDDLE_TOKEN_WEIGHT` for people and, for organisations, 1 on the query side
        and :data:`LEFT_OUT_WORD_WEIGHT` on the listed side. The score, ``sum(w * s) / (sum(w)
        + unpaired)``, grows with ``sum(w)``, so the bound is ``best * W / (W + U)`` with the
        largest ``W`` and the smallest ``U``."""
        query_weights = query.weights
        own_weight = query.own_weight
        query_content = query.content
        listed_weights = self._name_weights[name_id]
        listed_content = self._name_content[name_id]
        paired_query: dict[int, float] = {}
        paired_listed: set[int] = set()
        strong_query: set[int] = set()
        strong_listed: set[int] = set()
        best = 0.0
        for similarity, weight, query_index, listed_index, _, query_count, listed_count in cells:
            if similarity > best:
                best = similarity
            if query_count == 1:
                # A token missing from the index takes its partner's weight.
                brings = query_weights[query_index]
                if not own_weight[query_index] and weight > brings:
                    brings = weight
                if brings > paired_query.get(query_index, 0.0):
                    paired_query[query_index] = brings
            else:
                for index in (query_index, query_index + 1):
                    if query_weights[index] > paired_query.get(index, 0.0):
                        paired_query[index] = query_weights[index]
            paired_listed.add(listed_index)
            if listed_count != 1:
                paired_listed.add(listed_index + 1)
            if (
                similarity >= STRONG_PAIR
                and query_content[query_index]
                and listed_content[listed_index]
            ):
                strong_query.add(query_index)
                strong_listed.add(listed_index)
        if len(strong_query) < 2 or len(strong_listed) < 2:
            query_factor = listed_factor = 1.0
        elif self._name_person[name_id]:
            query_factor = listed_factor = MIDDLE_TOKEN_WEIGHT
        else:
            query_factor, listed_factor = 1.0, LEFT_OUT_WORD_WEIGHT
        most = sum(paired_query.values()) + sum([listed_weights[j] for j in paired_listed])
        most /= 2
        unpaired = query_factor * sum(
            [w for i, w in enumerate(query_weights) if i not in paired_query]
        ) + listed_factor * sum([w for j, w in enumerate(listed_weights) if j not in paired_listed])
        if most <= 0.0:
            return best
        # A little above the exact bound: float rounding can never exclude a name that
        # reaches the floor.
        return best * most / (most + unpaired) + 1e-9

    def _score_name(self, query: PreparedQuery, name_id: int) -> NameScore:
        """Align the query's tokens with the listed name's and score the alignment."""
        scored = self._score_name_above(query, name_id, -2.0)
        assert scored is not None  # no name scores under -2
        return scored

    def _score_name_above(
        self, query: PreparedQuery, name_id: int, floor: float
    ) -> NameScore | None:
        """:meth:`_score_name`, or ``None`` when the name's score is certainly below ``floor``.

        Before the alignment, an upper bound of the score is worked out from the pairings
        found (see :meth:`_score_bound`); a name whose bound is under ``floor`` is not
        aligned. The bound never excludes a name that would score ``floor`` or more."""
        texts = self._name_texts[name_id]
        listed_weights = self._name_weights[name_id]
        person = self._name_person[name_id]
        side = 0 if person else 1
        cache = query.cells
        cells: list[tuple[float, float, int, int, str, int, int]] = []
        append = cells.append
        for listed_index, text in enumerate(texts):
            hits = cache.get(text)
            if hits is None:
                listed = self._names[name_id].normalized.tokens[listed_index]
                hits = self._cells_for(query, listed)
            if hits[side]:
                weight = listed_weights[listed_index]
                for similarity, query_index, reason, query_count in hits[side]:
                    append((similarity, weight, query_index, listed_index, reason, query_count, 1))
        joined_texts = self._name_joined_texts[name_id]
        if joined_texts:
            joined_cache = query.joined_cells
            for listed_index, joined in enumerate(joined_texts):
                joined_hits = joined_cache.get(joined)
                if joined_hits is None:
                    joined_hits = self._joined_cells_for(query, joined)
                if joined_hits:
                    weight = self._name_joined_weights[name_id][listed_index]
                    for similarity, query_index in joined_hits:
                        append(
                            (
                                similarity,
                                weight,
                                query_index,
                                listed_index,
                                "written as two words",
                                1,
                                2,
                            )
                        )
        if not cells:
            if floor > 0.0:
                return None
            return NameScore(
                name_id,
                0.0,
                "token alignment",
                [],
                list(range(len(query.weights))),
                list(range(len(texts))),
            )
        query_weights = query.weights
        own_weight = query.own_weight
        if floor > 0.0 and len(cells) > 1 and self._score_bound(query, name_id, cells) < floor:
            return None
        if len(cells) == 1:
            # One pairing, the commonest case: the same arithmetic without the bookkeeping
            # (a cell's weight is the pairing's listed weight; the sum of one number is itself).
            similarity, listed_weight, query_index, listed_index, reason, query_count, lc = cells[0]
            if query_count != 1:
                query_weight = query.joined_weights[query_index]
            elif own_weight[query_index]:
                query_weight = query_weights[query_index]
            else:
                query_weight = listed_weight
            weight = (query_weight + listed_weight) / 2
            used_query = (1 if query_count == 1 else 3) << query_index
            used_listed = (1 if lc == 1 else 3) << listed_index
            unmatched_query = [i for i in range(len(query_weights)) if not used_query >> i & 1]
            unmatched_listed = [j for j in range(len(texts)) if not used_listed >> j & 1]
            denominator = weight
            denominator += sum([query_weights[i] for i in unmatched_query])
            denominator += sum([listed_weights[j] for j in unmatched_listed])
            score = weight * similarity / denominator if denominator else 0.0
            if score < floor:
                return None
            return NameScore(
                name_id,
                score,
                "token alignment",
                [(query_index, listed_index, similarity, reason, weight, query_count, lc)],
                unmatched_query,
                unmatched_listed,
            )
        cells.sort(reverse=True)
        pairs: list[PairTuple] = []
        products: list[float] = []
        pair_weights: list[float] = []
        used_query = 0
        used_listed = 0
        strong = 0
        query_content = query.content
        listed_content = self._name_content[name_id]
        for cell in cells:
            similarity, listed_weight, query_index, listed_index, reason, query_count, lc = cell
            query_mask = (1 if query_count == 1 else 3) << query_index
            listed_mask = (1 if lc == 1 else 3) << listed_index
            if used_query & query_mask or used_listed & listed_mask:
                continue
            used_query |= query_mask
            used_listed |= listed_mask
            if query_count != 1:
                query_weight = query.joined_weights[query_index]
            elif own_weight[query_index]:
                query_weight = query_weights[query_index]
            else:
                query_weight = listed_weight
            weight = (query_weight + listed_weight) / 2
            pairs.append((query_index, listed_index, similarity, reason, weight, query_count, lc))
            products.append(weight * similarity)
            pair_weights.append(weight)
            if (
                similarity >= STRONG_PAIR
                and query_content[query_index]
                and listed_content[listed_index]
            ):
                strong += 1
        unmatched_query = [i for i in range(len(query_weights)) if not used_query >> i & 1]
        unmatched_listed = [j for j in range(len(texts)) if not used_listed >> j & 1]
        numerator = sum(products)
        denominator = sum(pair_weights)
        if strong >= 2 and person:
            query_factors: Sequence[float] | None = query.factors
            if query_factors is None:
                query_factors = position_factors(len(query_weights), [p[0] for p in pairs])
            listed_factors: Sequence[float] | None = self._name_factors[name_id]
            if listed_factors is None:
                listed_factors = position_factors(len(texts), [p[1] for p in pairs])
            denominator += sum([query_factors[i] * query_weights[i] for i in unmatched_query])
            denominator += sum([listed_factors[j] * listed_weights[j] for j in unmatched_listed])
        elif strong >= 2 and not any(query_content[i] for i in unmatched_query):
            # An organisation's name with a word left out: every word of the query found.
            denominator += sum([query_weights[i] for i in unmatched_query])
            denominator += sum(
                [
                    listed_weights[j] * (LEFT_OUT_WORD_WEIGHT if listed_content[j] else 1.0)
                    for j in unmatched_listed
                ]
            )
        else:
            denominator += sum([query_weights[i] for i in unmatched_query])
            denominator += sum([listed_weights[j] for j in unmatched_listed])
        score = numerator / denominator if denominator else 0.0
        return NameScore(
            name_id, score, "token alignment", pairs, unmatched_query, unmatched_listed
        )
