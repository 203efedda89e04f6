"""The screening index: find listed parties whose names match a query name, and explain why.

``ScreeningIndex.build(entries)`` indexes every primary name and alias of the entries (any mix of
lists). ``index.search(name, ...)`` returns scored, explained :class:`Match` records, best first.

How a query is answered
-----------------------
1. **Candidates, not a scan.** Each distinct listed token is indexed under its spelling, its
   spelling-variant key, its consonant skeleton and its one-letter deletions (a symmetric-delete
   index, so any single typo, insertion, omission or swap of neighbours still meets), and
   adjacent token pairs are indexed joined (``abdul rahman`` meets ``abdulrahman``). A query
   token that finds nothing close this way (two or more typos) is compared, in C by rapidfuzz,
   with the few hundred vocabulary words of similar length sharing its first or last letter.
   Names sharing tokens with the query accumulate rarity-weighted evidence and only the best
   :data:`CANDIDATES` names are scored in full.
2. **Token alignment.** Query tokens are paired one-to-one with the listed name's tokens, best
   similarity first (see :mod:`.similarity`); one token may also pair with two adjacent tokens of
   the other name written together (``Al Tikriti`` / ``Altikriti``). Words weigh their inverse
   document frequency in the index (a rare surname counts far more than "Mohammed" or "Bank");
   particles, legal forms and initials weigh a small constant. In a person's name, a fuzzy
   pairing of a query word that is itself a listed word (Amini / Amidi: two real names, not a
   typo) is discounted by :data:`KNOWN_WORD_DISCOUNT`. The name score is the weighted mean
   similarity of the pairs, with unpaired tokens counted as zeros. For people, when two or more
   real words pair well, unpaired tokens count less: a middle name or patronymic
   :data:`MIDDLE_TOKEN_WEIGHT`, a dropped first name :data:`DROPPED_TOKEN_WEIGHT`, a second
   surname :data:`SECOND_SURNAME_WEIGHT`, the first surname :data:`SURNAME_WEIGHT` (the
   ``LAST, First`` comma form tells which is which). For organisations every unpaired word
   counts in full. Token order does not matter.
3. **Qualifiers.** The caller may give the entity type, a country, a date of birth, identifiers
   and an address; agreement raises the score a little, disagreement lowers it (a different birth
   year lowers it a lot), and an identical identifier number sets a floor of
   :data:`IDENTIFIER_FLOOR`. Weak aliases (OFAC weak a.k.a.s, UN low-quality aliases) cost
   :data:`WEAK_ALIAS_PENALTY`.

Scores are in ``[0, 1]``. Thresholds are the caller's: :func:`flag_for` turns a score into
``"hit"``, ``"review"`` or ``"clear"`` with thresholds passed in. ``bench/screening_quality.py``
measures recall and false-positive rates over a range of thresholds; on its OFAC evaluation
sets :data:`SUGGESTED_REVIEW_THRESHOLD` and :data:`SUGGESTED_HIT_THRESHOLD` were chosen (see
``bench/README.md``). They are suggestions for configuration data, not constants to rely on.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.engine.countries import country_code
from screening.engine.models import EntityType, Identifier, ListEntry
from screening.engine.normalize import (
    NormalizedName,
    Token,
    fold,
    make_token,
    normalize_name,
    parenthesised,
)
from screening.engine.similarity import (
    MIN_TOKEN_SIMILARITY,
    NO_MATCH,
    spelling_similarity,
    token_similarity,
)

Flag = Literal["hit", "review", "clear"]

SUGGESTED_REVIEW_THRESHOLD = 0.75
SUGGESTED_HIT_THRESHOLD = 0.87
CANDIDATES = 60
"""How many names, ranked by shared-token evidence, are scored in full per query."""
PARTICLE_WEIGHT = 0.4
LEGAL_WEIGHT = 0.3
INITIAL_WEIGHT = 1.5
KNOWN_WORD_DISCOUNT = 0.08
DROPPED_TOKEN_WEIGHT = 0.5
MIDDLE_TOKEN_WEIGHT = 0.2
SURNAME_WEIGHT = 0.8
SECOND_SURNAME_WEIGHT = 0.5
STRONG_PAIR = 0.8
JOINED_MIN_SIMILARITY = 0.9
FALLBACK_BELOW = 0.85
FALLBACK_MIN_LENGTH = 6
FALLBACK_LIMIT = 5
WEAK_ALIAS_PENALTY = 0.02
ENTITY_TYPE_PENALTY = 0.10
COUNTRY_BONUS = 0.02
COUNTRY_PENALTY = 0.04
BIRTH_DATE_BONUS = 0.08
BIRTH_YEAR_BONUS = 0.04
BIRTH_YEAR_PENALTY = 0.15
IDENTIFIER_BONUS = 0.30
IDENTIFIER_FLOOR = 0.90
ADDRESS_BONUS = 0.03
_PERSON_TYPES = frozenset({"individual"})
_INITIALS_ALLOWED = frozenset({"individual", "unknown"})
_CONTENT = frozenset({"word", "number"})
_FUZZY_REASONS = frozenset({"typo", "same consonants"})
_NON_ALNUM = re.compile(r"[^A-Z0-9]")
_MAX_DELETION_LENGTH = 20


def flag_for(score: float, *, hit_threshold: float, review_threshold: float) -> Flag:
    """``"hit"`` at or above ``hit_threshold``, ``"review"`` at or above ``review_threshold``."""
    if score >= hit_threshold:
        return "hit"
    if score >= review_threshold:
        return "review"
    return "clear"


@dataclass(frozen=True, slots=True)
class Match:
    """One listed party that matched a query.

    ``name`` is the entry's primary name and ``matched_name`` the primary name or alias that
    scored best. ``explanation`` is JSON-ready (see :meth:`ScreeningIndex.search`);
    ``explanation["summary"]`` is the one-line human sentence.
    """

    list_code: str
    source_id: str
    name: str
    matched_name: str
    score: float
    explanation: dict[str, Any]
    entity_type: EntityType
    entry: ListEntry = field(repr=False, compare=False)

    @property
    def summary(self) -> str:
        """One sentence saying what matched and why the score is what it is."""
        return str(self.explanation["summary"])


@dataclass(frozen=True, slots=True)
class _Name:
    entry_index: int
    text: str
    alias_type: str
    strength: str
    normalized: NormalizedName


@dataclass(slots=True)
class _Pair:
    query_index: int
    listed_index: int
    similarity: float
    reason: str
    weight: float
    query_count: int = 1
    listed_count: int = 1


def _unmatched_factors(name: NormalizedName, matched: Iterable[int]) -> list[float]:
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
            content = token.kind in _CONTENT
            if position < name.given_count:
                factors.append(DROPPED_TOKEN_WEIGHT if first_given else MIDDLE_TOKEN_WEIGHT)
                first_given = first_given and not content
            else:
                factors.append(SURNAME_WEIGHT if first_surname else SECOND_SURNAME_WEIGHT)
                first_surname = first_surname and not content
        return factors
    positions = list(matched)
    low, high = (min(positions), max(positions)) if positions else (0, 0)
    return [
        MIDDLE_TOKEN_WEIGHT if low < position < high else DROPPED_TOKEN_WEIGHT
        for position in range(len(tokens))
    ]


@dataclass(slots=True)
class _NameScore:
    name_id: int
    score: float
    method: str
    pairs: list[_Pair]
    unmatched_query: list[int]
    unmatched_listed: list[int]


@dataclass(slots=True)
class _Query:
    text: str
    normalized: NormalizedName
    weights: list[float]
    similarity_cache: list[dict[str, tuple[float, str]]]


def _deletions(text: str) -> set[str]:
    if len(text) < 4 or len(text) > _MAX_DELETION_LENGTH:
        return set()
    return {text[:index] + text[index + 1 :] for index in range(len(text))}


def _identifier_key(number: str) -> str:
    return _NON_ALNUM.sub("", number.upper())


def _parse_birth(value: str | dt.date | None) -> tuple[int, int, int] | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return (value.year, value.month, value.day)
    parts = [int(part) for part in re.findall(r"\d+", value)]
    if not parts or parts[0] < 1000:
        return None
    return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)


def _listed_birth(value: str) -> tuple[int, int, int, int] | None:
    """``(first year, last year, month, day)`` of a listed date of birth."""
    if "/" in value:
        start, _, end = value.partition("/")
        if start[:4].isdigit() and end[:4].isdigit():
            return (int(start[:4]), int(end[:4]), 0, 0)
        return None
    parsed = _parse_birth(value)
    if parsed is None:
        return None
    return (parsed[0], parsed[0], parsed[1], parsed[2])


class ScreeningIndex:
    """An in-memory index of listed names; immutable once built, safe to share between threads.

    Build one per list version with :meth:`build`. To re-screen customers against only the
    entries a list update added or changed, build a small index of those entries with
    ``reference=`` the full index: token rarity then comes from the full list, so scores equal
    those a full screen would give.
    """

    def __init__(self) -> None:
        self._entries: list[ListEntry] = []
        self._names: list[_Name] = []
        self._vocabulary: dict[str, int] = {}
        self._tokens: list[Token] = []
        self._postings: list[array[int]] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_skeleton: dict[str, list[int]] = {}
        self._by_deletion: dict[str, list[int]] = {}
        self._idf: list[float] = []
        self._unknown_idf = 1.0
        self._document_count = 0
        self._name_weight: array[float] = array("d")
        self._by_identifier: dict[str, list[int]] = {}
        self._lookup_cache: dict[str, list[tuple[int, float]]] = {}
        self._reference_frequency: dict[str, int] | None = None
        self._buckets: dict[tuple[str, int], tuple[array[int], list[str]]] = {}

    @property
    def entry_count(self) -> int:
        """Number of entries indexed."""
        return len(self._entries)

    @property
    def name_count(self) -> int:
        """Number of names (primary names and aliases) indexed."""
        return len(self._names)

    @property
    def entries(self) -> Sequence[ListEntry]:
        """The indexed entries, in build order."""
        return self._entries

    @classmethod
    def build(
        cls, entries: Iterable[ListEntry], *, reference: ScreeningIndex | None = None
    ) -> ScreeningIndex:
        """Index the primary names and aliases of ``entries``.

        With ``reference``, token weights come from the reference index's statistics (use it
        for a small index of changed entries, see the class docstring).
        """
        index = cls()
        postings: list[list[int]] = []
        for entry in entries:
            entry_index = len(index._entries)
            index._entries.append(entry)
            for name_text, alias_type, strength in _names_of(entry):
                normalized = normalize_name(name_text, entry.entity_type)
                if not normalized.tokens:
                    continue
                name_id = len(index._names)
                index._names.append(_Name(entry_index, name_text, alias_type, strength, normalized))
                for text in index._index_terms(normalized):
                    token_id = index._token_id(text, postings)
                    bucket = postings[token_id]
                    if not bucket or bucket[-1] != name_id:
                        bucket.append(name_id)
            for identifier in entry.identifiers:
                key = _identifier_key(identifier.number)
                if len(key) >= 4:
                    index._by_identifier.setdefault(key, []).append(entry_index)
        index._postings = [array("i", bucket) for bucket in postings]
        index._build_buckets()
        index._document_count = max(len(index._names), 1)
        if reference is not None:
            index._reference_frequency = reference._frequencies()
            index._document_count = reference._document_count
        index._compute_weights()
        return index

    def _build_buckets(self) -> None:
        grouped: dict[tuple[str, int], list[int]] = {}
        for token_id, token in enumerate(self._tokens):
            if token.kind == "number" or len(token.text) < FALLBACK_MIN_LENGTH - 2:
                continue
            grouped.setdefault((token.text[0], len(token.text)), []).append(token_id)
            grouped.setdefault((token.text[-1], -len(token.text)), []).append(token_id)
        self._buckets = {
            key: (array("i", ids), [self._tokens[token_id].text for token_id in ids])
            for key, ids in grouped.items()
        }

    def _frequencies(self) -> dict[str, int]:
        return {
            token.text: len(self._postings[token_id]) for token_id, token in enumerate(self._tokens)
        }

    def _index_terms(self, normalized: NormalizedName) -> list[str]:
        tokens = normalized.tokens
        terms = [token.text for token in tokens]
        terms += [
            tokens[position].text + tokens[position + 1].text
            for position in range(len(tokens) - 1)
            if tokens[position].kind != "number" and tokens[position + 1].kind != "number"
        ]
        return terms

    def _token_id(self, text: str, postings: list[list[int]]) -> int:
        token_id = self._vocabulary.get(text)
        if token_id is not None:
            return token_id
        token_id = len(self._tokens)
        self._vocabulary[text] = token_id
        kind = "number" if any(char.isdigit() for char in text) else "word"
        token = make_token(text, kind)
        self._tokens.append(token)
        postings.append([])
        if kind != "number":
            self._by_key.setdefault(token.key, []).append(token_id)
            if len(token.skeleton) >= 2:
                self._by_skeleton.setdefault(token.skeleton, []).append(token_id)
        for variant in {text, *_deletions(text)}:
            self._by_deletion.setdefault(variant, []).append(token_id)
        return token_id

    def _compute_weights(self) -> None:
        documents = self._document_count
        self._unknown_idf = math.log(1 + documents)
        reference = self._reference_frequency
        self._idf = [
            math.log(
                1
                + documents
                / max(
                    reference.get(token.text, len(self._postings[token_id]))
                    if reference is not None
                    else len(self._postings[token_id]),
                    1,
                )
            )
            for token_id, token in enumerate(self._tokens)
        ]
        self._name_weight = array(
            "d",
            (
                sum(self._listed_weight(token) for token in name.normalized.tokens)
                for name in self._names
            ),
        )

    def _idf_of(self, text: str) -> float:
        token_id = self._vocabulary.get(text)
        return self._idf[token_id] if token_id is not None else self._unknown_idf

    def _listed_weight(self, token: Token) -> float:
        if token.kind == "particle":
            return PARTICLE_WEIGHT
        if token.kind == "legal":
            return LEGAL_WEIGHT
        if token.kind == "initial":
            return INITIAL_WEIGHT
        return self._idf_of(token.text)

    def _lookup(self, token: Token) -> list[tuple[int, float]]:
        """Vocabulary tokens similar to ``token``, with their similarity."""
        cached = self._lookup_cache.get(token.text + ("\0a" if token.abjad else ""))
        if cached is not None:
            return cached
        found: set[int] = set()
        exact = self._vocabulary.get(token.text)
        if exact is not None:
            found.add(exact)
        if token.kind != "number":
            found.update(self._by_key.get(token.key, ()))
            if len(token.skeleton) >= 2:
                found.update(self._by_skeleton.get(token.skeleton, ()))
        for variant in {token.text, *_deletions(token.text)}:
            found.update(self._by_deletion.get(variant, ()))
        result = []
        best = 0.0
        for token_id in found:
            listed = self._tokens[token_id]
            similarity, _ = token_similarity(token, listed)
            if similarity > 0:
                result.append((token_id, similarity))
                best = max(best, similarity)
        if best < FALLBACK_BELOW and len(token.text) >= FALLBACK_MIN_LENGTH:
            result += self._fallback(token, found)
        if len(self._lookup_cache) > 200_000:
            self._lookup_cache.clear()
        self._lookup_cache[token.text + ("\0a" if token.abjad else "")] = result
        return result

    def _fallback(self, token: Token, seen: set[int]) -> list[tuple[int, float]]:
        """Tokens two or more edits away: scan the vocabulary words of similar length that
        share the first or the last letter (a few hundred, compared in C by rapidfuzz)."""
        text = token.text
        found: list[tuple[int, float]] = []
        for length in range(len(text) - 2, len(text) + 3):
            for bucket_key in ((text[0], length), (text[-1], -length)):
                bucket = self._buckets.get(bucket_key)
                if not bucket:
                    continue
                for _, similarity, position in process.extract(
                    text,
                    bucket[1],
                    scorer=OSA.normalized_similarity,
                    score_cutoff=MIN_TOKEN_SIMILARITY,
                    limit=FALLBACK_LIMIT,
                ):
                    token_id = bucket[0][position]
                    if token_id not in seen:
                        seen.add(token_id)
                        found.append((token_id, float(similarity)))
        return found

    def _query_terms(self, tokens: Sequence[Token]) -> list[Token]:
        words = [token for token in tokens if token.kind in _CONTENT]
        terms = list(words or tokens)
        terms += [
            make_token(tokens[i].text + tokens[i + 1].text, "word", tokens[i].abjad)
            for i in range(len(tokens) - 1)
            if tokens[i].kind != "number" and tokens[i + 1].kind != "number"
        ]
        return terms

    def _candidates(self, query: _Query, limit: int) -> list[int]:
        evidence: dict[int, float] = {}
        total_query_weight = 0.0
        for term in self._query_terms(query.normalized.tokens):
            best: dict[int, float] = {}
            term_weight = 0.0
            for token_id, similarity in self._lookup(term):
                weight = self._idf[token_id] * similarity
                term_weight = max(term_weight, self._idf[token_id])
                for name_id in self._postings[token_id]:
                    if best.get(name_id, 0.0) < weight:
                        best[name_id] = weight
            total_query_weight += term_weight or self._unknown_idf
            for name_id, weight in best.items():
                evidence[name_id] = evidence.get(name_id, 0.0) + weight
        if not evidence:
            return []
        name_weight = self._name_weight
        return heapq.nlargest(
            limit,
            evidence,
            key=lambda name_id: evidence[name_id] / (total_query_weight + name_weight[name_id]),
        )

    def _query_weight(self, token: Token) -> float:
        return self._listed_weight(token)

    def _similarity(
        self, query: _Query, query_index: int, listed: Token, person: bool = False
    ) -> tuple[float, str]:
        cache = query.similarity_cache[query_index]
        found = cache.get(listed.text)
        if found is None:
            found = token_similarity(query.normalized.tokens[query_index], listed)
            cache[listed.text] = found
        token = query.normalized.tokens[query_index]
        if (
            person
            and found[1] in _FUZZY_REASONS
            and token.kind == "word"
            and token.text in self._vocabulary
        ):
            similarity = found[0] - KNOWN_WORD_DISCOUNT
            if similarity < MIN_TOKEN_SIMILARITY:
                return NO_MATCH
            return similarity, found[1] + ", both listed names"
        return found

    def _score_name(self, query: _Query, name_id: int) -> _NameScore:
        name = self._names[name_id]
        listed_tokens = name.normalized.tokens
        query_tokens = query.normalized.tokens
        person = self._entries[name.entry_index].entity_type in _INITIALS_ALLOWED
        listed_weights = [self._listed_weight(token) for token in listed_tokens]
        cells: list[tuple[float, float, int, int, str, int, int]] = []
        for query_index in range(len(query_tokens)):
            for listed_index, listed_token in enumerate(listed_tokens):
                similarity, reason = self._similarity(query, query_index, listed_token, person)
                if similarity > 0 and (person or reason != "initial"):
                    cells.append(
                        (
                            similarity,
                            listed_weights[listed_index],
                            query_index,
                            listed_index,
                            reason,
                            1,
                            1,
                        )
                    )
        cells += _joined_cells(query_tokens, listed_tokens, listed_weights)
        cells.sort(reverse=True)
        pairs: list[_Pair] = []
        used_query: set[int] = set()
        used_listed: set[int] = set()
        for similarity, _, query_index, listed_index, reason, query_count, listed_count in cells:
            query_span = range(query_index, query_index + query_count)
            listed_span = range(listed_index, listed_index + listed_count)
            if used_query.intersection(query_span) or used_listed.intersection(listed_span):
                continue
            used_query.update(query_span)
            used_listed.update(listed_span)
            pairs.append(
                self._pair(
                    query,
                    query_index,
                    listed_tokens,
                    listed_index,
                    listed_count,
                    listed_weights,
                    similarity,
                    reason,
                    query_count,
                )
            )
        unmatched_query = [i for i in range(len(query_tokens)) if i not in used_query]
        unmatched_listed = [j for j in range(len(listed_tokens)) if j not in used_listed]
        strong = sum(
            1
            for pair in pairs
            if pair.similarity >= STRONG_PAIR
            and query_tokens[pair.query_index].kind in _CONTENT
            and listed_tokens[pair.listed_index].kind in _CONTENT
        )
        numerator = sum(pair.weight * pair.similarity for pair in pairs)
        denominator = sum(pair.weight for pair in pairs)
        if strong >= 2 and person:
            query_factors = _unmatched_factors(
                query.normalized, (pair.query_index for pair in pairs)
            )
            listed_factors = _unmatched_factors(
                name.normalized, (pair.listed_index for pair in pairs)
            )
            denominator += sum(query_factors[i] * query.weights[i] for i in unmatched_query)
            denominator += sum(listed_factors[j] * listed_weights[j] for j in unmatched_listed)
        else:
            denominator += sum(query.weights[i] for i in unmatched_query)
            denominator += sum(listed_weights[j] for j in unmatched_listed)
        score = numerator / denominator if denominator else 0.0
        return _NameScore(
            name_id, score, "token alignment", pairs, unmatched_query, unmatched_listed
        )

    def _pair(
        self,
        query: _Query,
        query_index: int,
        listed_tokens: Sequence[Token],
        listed_index: int,
        listed_count: int,
        listed_weights: Sequence[float],
        similarity: float,
        reason: str,
        query_count: int = 1,
    ) -> _Pair:
        query_tokens = query.normalized.tokens
        listed_weight = sum(listed_weights[listed_index : listed_index + listed_count])
        query_weight = sum(query.weights[query_index : query_index + query_count])
        query_token = query_tokens[query_index]
        if (
            query_count == 1
            and query_token.kind == "word"
            and (query_token.text not in self._vocabulary)
        ):
            query_weight = listed_weight
        weight = (query_weight + listed_weight) / 2
        return _Pair(
            query_index, listed_index, similarity, reason, weight, query_count, listed_count
        )

    def search(
        self,
        query: str,
        *,
        entity_type: str | None = None,
        country: str | None = None,
        date_of_birth: str | dt.date | None = None,
        identifiers: Iterable[str | Identifier] = (),
        address: str | None = None,
        limit: int = 10,
        min_score: float = 0.5,
    ) -> list[Match]:
        """Listed parties matching ``query``, best first, at most ``limit``, each ``>= min_score``.

        ``entity_type`` is ``"individual"`` for a person and ``"entity"`` (or vessel/aircraft)
        for an organisation; ``country`` an ISO alpha-2 code or a country name;
        ``date_of_birth`` ``"1960"``, ``"1960-01-31"`` or a ``date``; ``identifiers`` numbers
        (passport, tax id, ...) as strings or :class:`Identifier`; ``address`` free text.

        Each match's ``explanation`` holds: ``query``, ``query_normalized``, ``matched_name``,
        ``matched_name_type`` (``primary``, ``aka``, ``fka``, ...), ``alias_strength``,
        ``listed_normalized``, ``method``, ``token_matches`` (query token, listed token,
        similarity, reason, weight), ``unmatched_query_tokens``, ``unmatched_listed_tokens``,
        ``legal_forms_ignored``, ``name_score``, ``adjustments`` (factor, delta, detail),
        ``score`` and ``summary``.
        """
        normalized = normalize_name(query, entity_type)
        if not normalized.tokens and not identifiers:
            return []
        prepared = _Query(
            query,
            normalized,
            [self._query_weight(token) for token in normalized.tokens],
            [{} for _ in normalized.tokens],
        )
        best: dict[int, _NameScore] = {}
        if normalized.tokens:
            for name_id in self._candidates(prepared, CANDIDATES):
                scored = self._score_name(prepared, name_id)
                name = self._names[name_id]
                if name.strength == "weak":
                    scored.score -= WEAK_ALIAS_PENALTY
                entry_index = name.entry_index
                if entry_index not in best or scored.score > best[entry_index].score:
                    best[entry_index] = scored
        identifier_keys = {
            _identifier_key(item.number if isinstance(item, Identifier) else item)
            for item in identifiers
        }
        identifier_keys.discard("")
        for key in identifier_keys:
            for entry_index in self._by_identifier.get(key, ()):
                if entry_index not in best:
                    best[entry_index] = self._best_name_of(prepared, entry_index)
        qualifiers = _Qualifiers(
            entity_type=entity_type,
            country=country_code(country) if country else "",
            country_raw=country or "",
            birth=_parse_birth(date_of_birth),
            identifier_keys=identifier_keys,
            address_words={word for word in fold(address or "") if len(word) >= 3},
        )
        results: list[tuple[float, int, list[dict[str, Any]]]] = []
        for entry_index, scored in best.items():
            entry = self._entries[entry_index]
            adjustments = qualifiers.adjustments(entry)
            score = scored.score + sum(item["delta"] for item in adjustments)
            if any(item["factor"] == "identifier" for item in adjustments):
                score = max(score, IDENTIFIER_FLOOR)
            score = min(max(score, 0.0), 1.0)
            if score >= min_score:
                results.append((score, entry_index, adjustments))
        results.sort(key=lambda item: (-item[0], item[1]))
        return [
            self._match(prepared, best[entry_index], score, adjustments)
            for score, entry_index, adjustments in results[:limit]
        ]

    def _best_name_of(self, query: _Query, entry_index: int) -> _NameScore:
        scores = [
            self._score_name(query, name_id)
            for name_id, name in enumerate(self._names)
            if name.entry_index == entry_index
        ]
        return max(scores, key=lambda scored: scored.score)

    def _match(
        self,
        query: _Query,
        scored: _NameScore,
        score: float,
        adjustments: list[dict[str, Any]],
    ) -> Match:
        name = self._names[scored.name_id]
        entry = self._entries[name.entry_index]
        listed_tokens = name.normalized.tokens
        query_tokens = query.normalized.tokens
        token_matches = [
            {
                "query": " ".join(
                    t.text
                    for t in query_tokens[pair.query_index : pair.query_index + pair.query_count]
                ),
                "listed": " ".join(
                    t.text
                    for t in listed_tokens[
                        pair.listed_index : pair.listed_index + pair.listed_count
                    ]
                ),
                "similarity": round(pair.similarity, 3),
                "reason": pair.reason,
                "weight": round(pair.weight, 2),
            }
            for pair in sorted(scored.pairs, key=lambda pair: pair.query_index)
        ]
        if name.strength == "weak":
            adjustments = [
                {
                    "factor": "weak_alias",
                    "delta": -WEAK_ALIAS_PENALTY,
                    "detail": "the list marks this alias as weak (low quality)",
                },
                *adjustments,
            ]
        name_score = scored.score + (WEAK_ALIAS_PENALTY if name.strength == "weak" else 0.0)
        explanation: dict[str, Any] = {
            "query": query.text,
            "query_normalized": query.normalized.text,
            "matched_name": name.text,
            "matched_name_type": name.alias_type,
            "alias_strength": name.strength,
            "listed_normalized": name.normalized.text,
            "method": scored.method,
            "token_matches": token_matches,
            "unmatched_query_tokens": [query_tokens[i].text for i in scored.unmatched_query],
            "unmatched_listed_tokens": [listed_tokens[j].text for j in scored.unmatched_listed],
            "legal_forms_ignored": {
                "query": list(query.normalized.legal_forms),
                "listed": list(name.normalized.legal_forms),
            },
            "name_score": round(name_score, 4),
            "adjustments": adjustments,
            "score": round(score, 4),
        }
        explanation["summary"] = _summary(entry, name, scored, explanation)
        return Match(
            list_code=entry.list_code,
            source_id=entry.source_id,
            name=entry.primary_name,
            matched_name=name.text,
            score=round(score, 4),
            explanation=explanation,
            entity_type=entry.entity_type,
            entry=entry,
        )


def _joined_cells(
    query_tokens: Sequence[Token], listed_tokens: Sequence[Token], listed_weights: Sequence[float]
) -> list[tuple[float, float, int, int, str, int, int]]:
    """Pairings of one token with two adjacent tokens of the other name written together
    (``abdulrahman`` / ``abdul rahman``, ``stankiru`` / ``stanki ru``)."""
    cells: list[tuple[float, float, int, int, str, int, int]] = []
    for listed_index in range(len(listed_tokens) - 1):
        joined = listed_tokens[listed_index].text + listed_tokens[listed_index + 1].text
        for query_index, query_token in enumerate(query_tokens):
            text = query_token.text
            if (text[0] == joined[0] or text[-1] == joined[-1]) and abs(
                len(text) - len(joined)
            ) <= 2:
                similarity = spelling_similarity(text, joined)
                if similarity >= JOINED_MIN_SIMILARITY:
                    weight = listed_weights[listed_index] + listed_weights[listed_index + 1]
                    cells.append(
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
    for query_index in range(len(query_tokens) - 1):
        joined = query_tokens[query_index].text + query_tokens[query_index + 1].text
        for listed_index, listed_token in enumerate(listed_tokens):
            text = listed_token.text
            if (text[0] == joined[0] or text[-1] == joined[-1]) and abs(
                len(text) - len(joined)
            ) <= 2:
                similarity = spelling_similarity(joined, text)
                if similarity >= JOINED_MIN_SIMILARITY:
                    cells.append(
                        (
                            similarity,
                            listed_weights[listed_index],
                            query_index,
                            listed_index,
                            "written as one word",
                            2,
                            1,
                        )
                    )
    return cells


def _names_of(entry: ListEntry) -> list[tuple[str, str, str]]:
    names: list[tuple[str, str, str]] = [(entry.primary_name, "primary", "")]
    names += [(alias.name, alias.alias_type, alias.strength) for alias in entry.aliases]
    if entry.entity_type != "individual":
        for text, _, _ in list(names):
            for inner in parenthesised(text):
                words = fold(inner)
                if 1 <= len(words) <= 3 and sum(len(word) for word in words) >= 3:
                    names.append((inner, "acronym", "weak"))
    return list(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class _Qualifiers:
    entity_type: str | None
    country: str
    country_raw: str
    birth: tuple[int, int, int] | None
    identifier_keys: set[str]
    address_words: set[str]

    def adjustments(self, entry: ListEntry) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if self.entity_type and self.entity_type != "unknown" and entry.entity_type != "unknown":
            query_person = self.entity_type in _PERSON_TYPES
            listed_person = entry.entity_type in _PERSON_TYPES
            if query_person != listed_person:
                found.append(
                    {
                        "factor": "entity_type",
                        "delta": -ENTITY_TYPE_PENALTY,
                        "detail": f"query is {'a person' if query_person else 'an organisation'}"
                        f", the listed party is {entry.entity_type}",
                    }
                )
        if self.country:
            countries = entry.all_countries()
            if self.country in countries:
                found.append(
                    {
                        "factor": "country",
                        "delta": COUNTRY_BONUS,
                        "detail": f"country {self.country} is linked to the listed party",
                    }
                )
            elif countries:
                found.append(
                    {
                        "factor": "country",
                        "delta": -COUNTRY_PENALTY,
                        "detail": f"country {self.country} is not among the listed party's "
                        f"countries ({', '.join(countries)})",
                    }
                )
        if self.birth and entry.dates_of_birth:
            found += self._birth(entry)
        if self.identifier_keys:
            for identifier in entry.identifiers:
                if _identifier_key(identifier.number) in self.identifier_keys:
                    found.append(
                        {
                            "factor": "identifier",
                            "delta": IDENTIFIER_BONUS,
                            "detail": f"{identifier.id_type} {identifier.number} is the same "
                            "number as listed",
                        }
                    )
                    break
        if self.address_words and entry.addresses:
            listed_words = {
                word
                for address in entry.addresses
                for word in fold(address.as_text())
                if len(word) >= 3
            }
            shared = self.address_words & listed_words
            if len(shared) >= max(2, len(self.address_words) // 2):
                found.append(
                    {
                        "factor": "address",
                        "delta": ADDRESS_BONUS,
                        "detail": f"address words shared with a listed address: "
                        f"{', '.join(sorted(shared))}",
                    }
                )
        return found

    def _birth(self, entry: ListEntry) -> list[dict[str, Any]]:
        assert self.birth is not None
        year, month, day = self.birth
        listed = [parsed for value in entry.dates_of_birth if (parsed := _listed_birth(value))]
        if not listed:
            return []
        shown = ", ".join(entry.dates_of_birth)
        for first, last, listed_month, listed_day in listed:
            if (
                first == last == year
                and month
                and day
                and (listed_month, listed_day)
                == (
                    month,
                    day,
                )
            ):
                return [
                    {
                        "factor": "date_of_birth",
                        "delta": BIRTH_DATE_BONUS,
                        "detail": f"date of birth matches the listed {shown}",
                    }
                ]
        if any(first <= year <= last for first, last, _, _ in listed):
            return [
                {
                    "factor": "date_of_birth",
                    "delta": BIRTH_YEAR_BONUS,
                    "detail": f"birth year {year} matches the listed {shown}",
                }
            ]
        if any(first - 1 <= year <= last + 1 for first, last, _, _ in listed):
            return [
                {
                    "factor": "date_of_birth",
                    "delta": 0.0,
                    "detail": f"birth year {year} is within a year of the listed {shown}",
                }
            ]
        return [
            {
                "factor": "date_of_birth",
                "delta": -BIRTH_YEAR_PENALTY,
                "detail": f"birth year {year} differs from the listed {shown}",
            }
        ]


def _summary(entry: ListEntry, name: _Name, scored: _NameScore, explanation: dict[str, Any]) -> str:
    which = "primary name" if name.alias_type == "primary" else f"{name.alias_type} alias"
    if name.strength == "weak":
        which = "weak " + which
    head = (
        f'{explanation["score"]:.2f} against the {which} "{name.text}" of '
        f"{entry.list_code} {entry.source_id}"
    )
    matched = explanation["token_matches"]
    inexact = [
        f"{item['query']}~{item['listed']} ({item['reason']} {item['similarity']:.2f})"
        for item in matched
        if item["reason"] != "exact"
    ]
    query_words = sum(pair.query_count for pair in scored.pairs) + len(scored.unmatched_query)
    body = f"{sum(pair.query_count for pair in scored.pairs)} of {query_words} query words matched"
    if inexact:
        body += ": " + ", ".join(inexact)
    if explanation["unmatched_query_tokens"]:
        body += "; not in the listed name: " + ", ".join(explanation["unmatched_query_tokens"])
    if explanation["unmatched_listed_tokens"]:
        body += "; listed words not in the query: " + ", ".join(
            explanation["unmatched_listed_tokens"]
        )
    adjustments = [
        f"{item['detail']} ({item['delta']:+.2f})"
        for item in explanation["adjustments"]
        if item["delta"]
    ]
    tail = ("; " + "; ".join(adjustments)) if adjustments else ""
    return f"{head}: {body}{tail}."
