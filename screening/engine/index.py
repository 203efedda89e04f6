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
   with the (few thousand) vocabulary words of similar length sharing its first or last letter.
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
import gc
import heapq
import math
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

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
_INDEL_CUTOFF = 0.69
"""Necessary Indel similarity for an OSA similarity of :data:`MIN_TOKEN_SIMILARITY` (0.7, less a
margin for rounding); see :meth:`ScreeningIndex._fallback`."""
_PREFILTER_SIMILARITY = 0.55
"""Below this spelling similarity two plain tokens cannot pair (a pair needs 0.6 or more
before the consonant-skeleton boost, see :mod:`.similarity`)."""
_PREFILTER_JOINED = 0.85
"""Below this spelling similarity a word and two words written together cannot pair
(:data:`JOINED_MIN_SIMILARITY`)."""


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


class _Pair(NamedTuple):
    query_index: int
    listed_index: int
    similarity: float
    reason: str
    weight: float
    query_count: int = 1
    listed_count: int = 1


_PairTuple = tuple[int, int, float, str, float, int, int]
"""A :class:`_Pair` as the scoring loop builds it (a plain tuple is cheaper to make)."""


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
    return _position_factors(len(tokens), list(matched))


def _position_factors(count: int, positions: Sequence[int]) -> list[float]:
    """Without a known name structure: a token between matched tokens counts as a middle name,
    any other as dropped."""
    low, high = (min(positions), max(positions)) if positions else (0, 0)
    return [
        MIDDLE_TOKEN_WEIGHT if low < position < high else DROPPED_TOKEN_WEIGHT
        for position in range(count)
    ]


@dataclass(slots=True)
class _NameScore:
    name_id: int
    score: float
    method: str
    pairs: list[_PairTuple]
    unmatched_query: list[int]
    unmatched_listed: list[int]


_Buckets = dict[str, tuple["array[int]", list[str], "array[int]"]]
"""Vocabulary words by first (or last) letter: token ids and texts ordered by length, and
where each length starts."""
_Hit = tuple[float, int, str, int]
"""``(similarity, query index, reason, query token count)`` of a query token (or two adjacent
query tokens written together) against one listed token text."""
_NO_HITS: tuple[tuple[_Hit, ...], tuple[_Hit, ...]] = ((), ())


@dataclass(slots=True)
class _Query:
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
    cells: dict[str, tuple[tuple[_Hit, ...], tuple[_Hit, ...]]]
    joined_cells: dict[str, tuple[tuple[float, int], ...]]


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
        self._postings: list[tuple[int, ...]] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_skeleton: dict[str, list[int]] = {}
        self._by_deletion: dict[str, list[int]] = {}
        self._idf: list[float] = []
        self._unknown_idf = 1.0
        self._document_count = 0
        self._name_weight: list[float] = []
        self._by_identifier: dict[str, list[int]] = {}
        self._lookup_cache: dict[str, list[tuple[int, float]]] = {}
        self._reference_frequency: dict[str, int] | None = None
        self._buckets: tuple[_Buckets, _Buckets] = ({}, {})
        # Per name, filled by _compute_weights: token texts, token weights, which tokens are
        # content words, whether the entry is a person (initials allowed), each two adjacent
        # tokens written together and their weight and, for a known ``LAST, First``
        # structure, the unmatched-token factors.
        self._name_texts: list[tuple[str, ...]] = []
        self._name_weights: list[tuple[float, ...]] = []
        self._name_content: list[tuple[bool, ...]] = []
        self._name_person: list[bool] = []
        self._name_joined_texts: list[tuple[str, ...]] = []
        self._name_joined_weights: list[tuple[float, ...]] = []
        self._name_factors: list[tuple[float, ...] | None] = []
        # The token a listed text stands for, None when names hold it as different tokens
        # (a word in one, a legal form in another); texts compared with every query token.
        self._text_token: dict[str, Token | None] = {}
        self._special_texts: set[str] = set()
        self._entry_first_name: array[int] = array("i")

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
        # The build makes about a million long-lived objects and no reference cycles: the
        # cyclic collector, left running, would walk them again and again (about a second of
        # a four-second build) to free nothing. It is paused meanwhile (for the whole process)
        # and resumed if it was running.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(entries, reference)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(
        cls, entries: Iterable[ListEntry], reference: ScreeningIndex | None
    ) -> ScreeningIndex:
        index = cls()
        postings: list[list[int]] = []
        vocabulary = index._vocabulary
        for entry in entries:
            entry_index = len(index._entries)
            index._entries.append(entry)
            index._entry_first_name.append(len(index._names))
            for name_text, alias_type, strength in _names_of(entry):
                normalized = normalize_name(name_text, entry.entity_type)
                if not normalized.tokens:
                    continue
                name_id = len(index._names)
                index._names.append(_Name(entry_index, name_text, alias_type, strength, normalized))
                for text in index._index_terms(normalized):
                    token_id = vocabulary.get(text)
                    if token_id is None:
                        token_id = index._token_id(text, postings)
                    bucket = postings[token_id]
                    if not bucket or bucket[-1] != name_id:
                        bucket.append(name_id)
            for identifier in entry.identifiers:
                key = _identifier_key(identifier.number)
                if len(key) >= 4:
                    index._by_identifier.setdefault(key, []).append(entry_index)
        index._entry_first_name.append(len(index._names))
        # Tuples sharing one int object per name: read without allocating, unlike an array.
        index._postings = [tuple(bucket) for bucket in postings]
        index._build_buckets()
        index._document_count = max(len(index._names), 1)
        if reference is not None:
            index._reference_frequency = reference._frequencies()
            index._document_count = reference._document_count
        index._compute_weights()
        return index

    def _build_buckets(self) -> None:
        """Group the vocabulary words by first letter and by last letter, each group ordered
        by length (then by token id), for :meth:`_fallback`."""
        tokens = self._tokens
        grouped: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for token_id, token in enumerate(tokens):
            if token.kind == "number" or len(token.text) < FALLBACK_MIN_LENGTH - 2:
                continue
            grouped[0].setdefault(token.text[0], []).append(token_id)
            grouped[1].setdefault(token.text[-1], []).append(token_id)
        self._buckets = ({}, {})
        for side, groups in enumerate(grouped):
            for letter, ids in groups.items():
                ids.sort(key=lambda token_id: len(tokens[token_id].text))
                # Fresh copies made one after the other: rapidfuzz then reads a group's words
                # from adjacent memory, markedly faster than from all over the heap.
                texts = [tokens[token_id].text.encode().decode() for token_id in ids]
                lengths = [len(text) for text in texts]
                starts = array("i", (bisect_left(lengths, n) for n in range(lengths[-1] + 2)))
                self._buckets[side][letter] = (array("i", ids), texts, starts)

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
        kind = "number" if any(map(str.isdigit, text)) else "word"
        token = make_token(text, kind)
        self._tokens.append(token)
        postings.append([])
        if kind != "number":
            self._by_key.setdefault(token.key, []).append(token_id)
            if len(token.skeleton) >= 2:
                self._by_skeleton.setdefault(token.skeleton, []).append(token_id)
        by_deletion = self._by_deletion
        variants = _deletions(text)
        variants.add(text)
        for variant in variants:
            by_deletion.setdefault(variant, []).append(token_id)
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
        vocabulary = self._vocabulary
        vocabulary_tokens = self._tokens
        listed_weight = self._listed_weight
        entries = self._entries
        name_texts: list[tuple[str, ...]] = []
        name_weights: list[tuple[float, ...]] = []
        name_content: list[tuple[bool, ...]] = []
        name_person: list[bool] = []
        name_joined_texts: list[tuple[str, ...]] = []
        name_joined_weights: list[tuple[float, ...]] = []
        name_factors: list[tuple[float, ...] | None] = []
        self._name_texts = name_texts
        self._name_weights = name_weights
        self._name_content = name_content
        self._name_person = name_person
        self._name_joined_texts = name_joined_texts
        self._name_joined_weights = name_joined_weights
        self._name_factors = name_factors
        text_token = self._text_token
        text_token.clear()
        special = self._special_texts
        special.clear()
        for name in self._names:
            normalized = name.normalized
            tokens = normalized.tokens
            texts = tuple([token.text for token in tokens])
            weights = tuple([listed_weight(token) for token in tokens])
            joined_texts: list[str] = []
            joined_weights: list[float] = []
            for position in range(len(tokens) - 1):
                text = texts[position] + texts[position + 1]
                token_id = vocabulary.get(text)
                if token_id is not None:
                    text = vocabulary_tokens[token_id].text
                joined_texts.append(text)
                joined_weights.append(weights[position] + weights[position + 1])
            for token in tokens:
                if token.abjad or token.kind == "initial":
                    special.add(token.text)
                known = text_token.setdefault(token.text, token)
                if known is not token and known != token:
                    text_token[token.text] = None
            name_texts.append(texts)
            name_weights.append(weights)
            name_content.append(tuple([token.kind in _CONTENT for token in tokens]))
            name_person.append(entries[name.entry_index].entity_type in _INITIALS_ALLOWED)
            name_joined_texts.append(tuple(joined_texts))
            name_joined_weights.append(tuple(joined_weights))
            name_factors.append(
                tuple(_unmatched_factors(normalized, ())) if normalized.given_count else None
            )
        self._name_weight = [sum(weights) for weights in self._name_weights]

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
        variants = {token.text, *_deletions(token.text)}
        found.update(*map(self._by_deletion.get, variants, repeat(())))
        result = []
        best = 0.0
        tokens = self._tokens
        for token_id in found:
            similarity = token_similarity(token, tokens[token_id])[0]
            if similarity > 0:
                result.append((token_id, similarity))
                if similarity > best:
                    best = similarity
        if best < FALLBACK_BELOW and len(token.text) >= FALLBACK_MIN_LENGTH:
            result += self._fallback(token, found)
        if len(self._lookup_cache) > 200_000:
            self._lookup_cache.clear()
        self._lookup_cache[token.text + ("\0a" if token.abjad else "")] = result
        return result

    def _fallback(self, token: Token, seen: set[int]) -> list[tuple[int, float]]:
        """Tokens two or more edits away: scan the vocabulary words of similar length that
        share the first or the last letter (a few thousand, compared in C by rapidfuzz).

        Per length and letter (first, then last), the :data:`FALLBACK_LIMIT` most similar
        words, the earlier token first among equals. Per letter, a cheap rapidfuzz pass keeps
        the words whose Indel similarity reaches :data:`_INDEL_CUTOFF` and only those are
        compared by optimal string alignment (OSA): a word ``d`` OSA edits away keeps a
        common subsequence of at least ``max(len) - d`` letters, so an OSA similarity of 0.7
        implies an Indel similarity (``2 * LCS / (len + len)``) of at least 0.7."""
        text = token.text
        shortest = len(text) - 2
        best: list[list[tuple[int, float]]] = [[] for _ in range(10)]
        for side, letter in enumerate((text[0], text[-1])):
            group = self._buckets[side].get(letter)
            if group is None:
                continue
            ids, texts, starts = group
            last = len(starts) - 1
            start = starts[min(shortest, last)]
            end = starts[min(shortest + 5, last)]
            if start == end:
                continue
            close = process.extract(
                text,
                texts[start:end],
                scorer=Indel.normalized_similarity,
                score_cutoff=_INDEL_CUTOFF,
                limit=None,
            )
            if not close:
                continue
            close.sort(key=itemgetter(2))
            for word, similarity, rank in process.extract(
                text,
                [word for word, _, _ in close],
                scorer=OSA.normalized_similarity,
                score_cutoff=MIN_TOKEN_SIMILARITY,
                limit=None,
            ):
                found = best[2 * (len(word) - shortest) + side]
                if len(found) < FALLBACK_LIMIT:
                    found.append((ids[start + close[rank][2]], float(similarity)))
        result: list[tuple[int, float]] = []
        for found in best:
            for token_id, similarity in found:
                if token_id not in seen:
                    seen.add(token_id)
                    result.append((token_id, similarity))
        return result

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
        """The ``limit`` names with the most shared-token evidence for the query.

        A term's evidence for a name is the best ``idf * similarity`` of the name's tokens
        found for it; names are ranked by the summed evidence over the query's and the name's
        total weight, the earlier found first among equals."""
        idf = self._idf
        postings = self._postings
        evidence: dict[int, float] = {}
        total_query_weight = 0.0
        for term in self._query_terms(query.normalized.tokens):
            best: dict[int, float] = {}
            get = best.get
            term_weight = 0.0
            for token_id, similarity in self._lookup(term):
                weight = idf[token_id] * similarity
                term_weight = max(term_weight, idf[token_id])
                for name_id in postings[token_id]:
                    if get(name_id, 0.0) < weight:
                        best[name_id] = weight
            total_query_weight += term_weight or self._unknown_idf
            if evidence:
                evidence_get = evidence.get
                for name_id, weight in best.items():
                    evidence[name_id] = evidence_get(name_id, 0.0) + weight
            else:
                evidence = best
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

    def _prepare(self, text: str, normalized: NormalizedName) -> _Query:
        tokens = normalized.tokens
        vocabulary = self._vocabulary
        weights = [self._query_weight(token) for token in tokens]
        return _Query(
            text=text,
            normalized=normalized,
            weights=weights,
            known_word=[token.kind == "word" and token.text in vocabulary for token in tokens],
            own_weight=[
                not (token.kind == "word" and token.text not in vocabulary) for token in tokens
            ],
            content=[token.kind in _CONTENT for token in tokens],
            joined=[tokens[i].text + tokens[i + 1].text for i in range(len(tokens) - 1)],
            joined_weights=[sum(weights[i : i + 2]) for i in range(len(tokens) - 1)],
            factors=_unmatched_factors(normalized, ()) if normalized.given_count else None,
            cells={},
            joined_cells={},
        )

    def _cells_for(
        self,
        query: _Query,
        listed: Token,
        single: Iterable[int] | None = None,
        joined_with: Iterable[int] | None = None,
    ) -> tuple[tuple[_Hit, ...], tuple[_Hit, ...]]:
        """The hits of ``listed`` against the query tokens (one-to-one, and two adjacent query
        tokens written as one word), for a person's name and for any other name.

        ``single`` and ``joined_with`` limit the query tokens and adjacent pairs compared to
        those that can reach a hit (see :meth:`_prefill`); by default all are compared."""
        person: list[_Hit] = []
        other: list[_Hit] = []
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
        found = (tuple(person), tuple(other)) if person or other else _NO_HITS
        query.cells[text] = found
        return found

    def _joined_cells_for(
        self, query: _Query, joined: str, single: Iterable[int] | None = None
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

    def _prefill(self, query: _Query, name_ids: Sequence[int]) -> None:
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
            chain.from_iterable(map(self._name_texts.__getitem__, name_ids)), _NO_HITS
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

    def _score_name(self, query: _Query, name_id: int) -> _NameScore:
        """Align the query's tokens with the listed name's and score the alignment."""
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
            return _NameScore(
                name_id,
                0.0,
                "token alignment",
                [],
                list(range(len(query.weights))),
                list(range(len(texts))),
            )
        query_weights = query.weights
        own_weight = query.own_weight
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
            return _NameScore(
                name_id,
                weight * similarity / denominator if denominator else 0.0,
                "token alignment",
                [(query_index, listed_index, similarity, reason, weight, query_count, lc)],
                unmatched_query,
                unmatched_listed,
            )
        cells.sort(reverse=True)
        pairs: list[_PairTuple] = []
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
                query_factors = _position_factors(len(query_weights), [p[0] for p in pairs])
            listed_factors: Sequence[float] | None = self._name_factors[name_id]
            if listed_factors is None:
                listed_factors = _position_factors(len(texts), [p[1] for p in pairs])
            denominator += sum([query_factors[i] * query_weights[i] for i in unmatched_query])
            denominator += sum([listed_factors[j] * listed_weights[j] for j in unmatched_listed])
        else:
            denominator += sum([query_weights[i] for i in unmatched_query])
            denominator += sum([listed_weights[j] for j in unmatched_listed])
        score = numerator / denominator if denominator else 0.0
        return _NameScore(
            name_id, score, "token alignment", pairs, unmatched_query, unmatched_listed
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
        prepared = self._prepare(query, normalized)
        best: dict[int, _NameScore] = {}
        if normalized.tokens:
            candidates = self._candidates(prepared, CANDIDATES)
            self._prefill(prepared, candidates)
            names = self._names
            score_name = self._score_name
            for name_id in candidates:
                scored = score_name(prepared, name_id)
                name = names[name_id]
                if name.strength == "weak":
                    scored.score -= WEAK_ALIAS_PENALTY
                entry_index = name.entry_index
                known = best.get(entry_index)
                if known is None or scored.score > known.score:
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
        # The most the qualifiers can add; an entry that cannot reach min_score even so is
        # left out without working out its adjustments (an identifier sets a floor instead).
        ceiling = (
            (COUNTRY_BONUS if qualifiers.country else 0.0)
            + (BIRTH_DATE_BONUS if qualifiers.birth else 0.0)
            + (ADDRESS_BONUS if qualifiers.address_words else 0.0)
        )
        hopeless = min_score - ceiling - 1e-9 if min_score > 0 and not identifier_keys else -2.0
        results: list[tuple[float, int, list[dict[str, Any]]]] = []
        for entry_index, scored in best.items():
            if scored.score < hopeless:
                continue
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
        first = self._entry_first_name
        scores = [
            self._score_name(query, name_id)
            for name_id in range(first[entry_index], first[entry_index + 1])
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
        pairs = [_Pair(*pair) for pair in scored.pairs]
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
            for pair in sorted(pairs, key=lambda pair: pair.query_index)
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
        explanation["summary"] = _summary(entry, name, scored, pairs, explanation)
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


def _summary(
    entry: ListEntry,
    name: _Name,
    scored: _NameScore,
    pairs: list[_Pair],
    explanation: dict[str, Any],
) -> str:
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
    query_words = sum(pair.query_count for pair in pairs) + len(scored.unmatched_query)
    body = f"{sum(pair.query_count for pair in pairs)} of {query_words} query words matched"
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
