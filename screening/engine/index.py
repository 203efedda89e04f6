"""The screening index: find listed parties whose names match a query name, and explain why.

``ScreeningIndex.build(entries)`` indexes every primary name and alias of the entries (any mix of
lists). ``index.search(name, ...)`` returns scored, explained :class:`Match` records, best first.

How a query is answered
-----------------------
1. **Candidates, not a scan.** Each distinct listed token is indexed under its spelling, its
   spelling-variant key, its consonant skeleton and its one-letter deletions (a symmetric-delete
   index, so any single typo, insertion, omission or swap of neighbours still meets), and
   adjacent token pairs are indexed joined (``abdul rahman`` meets ``abdulrahman``; two query
   words written together look for one listed word only, never for a listed pair: that is the
   same two words again). A query
   word that finds nothing close this way (two or more typos) is compared, in C by rapidfuzz,
   with the (few thousand) vocabulary words of similar length sharing its first or last letter
   (:mod:`.fallback`); two query words written together are not. Names sharing tokens with the
   query accumulate rarity-weighted evidence and only the best :data:`CANDIDATES` names are
   scored in full (a name whose score cannot reach the search's floor is not aligned, see
   :meth:`.scoring.NameScoring._score_name_above`), the earlier name first among equals (never
   the order of a set or dict of strings: the same name gives the same result in every
   process). A word found in more than :data:`.candidates.COMMON_POSTINGS` names only adds
   evidence to names found through the query's rarer words and to names holding two or more
   of the query's common words (``Ali Muhammad`` finds ``MUHAMMAD, Ali``); see
   :mod:`.candidates`.
2. **Token alignment.** Query tokens are paired one-to-one with the listed name's tokens, best
   similarity first, words weighing their rarity in the index; the name score is the weighted
   mean similarity of the pairs (see :mod:`.scoring`).
3. **Qualifiers.** The caller may give the entity type, a country, a date of birth, identifiers
   and an address; agreement raises the score a little, disagreement lowers it (see
   :mod:`.qualifiers`). Weak aliases cost :data:`.explain.WEAK_ALIAS_PENALTY`. Every match is
   explained (see :mod:`.explain`).
Scores are in ``[0, 1]``. Thresholds are the caller's: :func:`flag_for` turns a score into
``"hit"``, ``"review"`` or ``"clear"`` with thresholds passed in. ``bench/screening_quality.py``
measures recall and false-positive rates over a range of thresholds; on its OFAC evaluation
sets :data:`SUGGESTED_REVIEW_THRESHOLD` and :data:`SUGGESTED_HIT_THRESHOLD` were chosen (see
``bench/README.md``). They are suggestions for configuration data, not constants to rely on.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from array import array
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.engine.candidates import CandidateFinder
from screening.engine.explain import WEAK_ALIAS_PENALTY, Match, explain_match
from screening.engine.fallback import Buckets, build_buckets, fallback_scan
from screening.engine.models import Identifier, ListEntry
from screening.engine.normalize import (
    NormalizedName,
    Token,
    listed_names,
    make_token,
    normalize_name,
)
from screening.engine.qualifiers import (
    Qualifiers,
    identifier_key,
)
from screening.engine.scoring import (
    CONTENT_KINDS,
    ListedName,
    NameScore,
    NameScoring,
    PreparedQuery,
    unmatched_factors,
)
from screening.engine.similarity import (
    SKELETON_MIN_SPELLING,
    token_similarity,
)

Flag = Literal["hit", "review", "clear"]

SUGGESTED_REVIEW_THRESHOLD = 0.75
SUGGESTED_HIT_THRESHOLD = 0.87
CANDIDATES = 30
"""How many names, ranked by shared-token evidence, are scored in full per query."""
PARTICLE_WEIGHT = 0.4
LEGAL_WEIGHT = 0.3
INITIAL_WEIGHT = 4.0
FALLBACK_BELOW = 0.85
FALLBACK_MIN_LENGTH = 6
_INITIALS_ALLOWED = frozenset({"individual", "unknown"})
_MAX_DELETION_LENGTH = 20


def flag_for(score: float, *, hit_threshold: float, review_threshold: float) -> Flag:
    """``"hit"`` at or above ``hit_threshold``, ``"review"`` at or above ``review_threshold``."""
    if score >= hit_threshold:
        return "hit"
    if score >= review_threshold:
        return "review"
    return "clear"


def _deletions(text: str) -> set[str]:
    if len(text) < 4 or len(text) > _MAX_DELETION_LENGTH:
        return set()
    return {text[:index] + text[index + 1 :] for index in range(len(text))}


class ScreeningIndex(CandidateFinder, NameScoring):
    """An in-memory index of listed names; immutable once built, safe to share between threads.

    Build one per list version with :meth:`build`. To re-screen customers against only the
    entries a list update added or changed, build a small index of those entries with
    ``reference=`` the full index: token rarity then comes from the full list, so scores equal
    those a full screen would give.
    """

    def __init__(self) -> None:
        self._entries: list[ListEntry] = []
        self._names: list[ListedName] = []
        self._vocabulary: dict[str, int] = {}
        self._pairs_only: frozenset[int] = frozenset()
        """Vocabulary tokens that are only two adjacent listed words written together."""
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
        self._term_cache: dict[
            str, tuple[float, dict[int, float] | None, list[tuple[float, int]] | None]
        ] = {}
        self._term_cache_size = 0
        self._posting_sets: dict[int, frozenset[int]] = {}
        self._reference_frequency: dict[str, int] | None = None
        self._buckets: tuple[Buckets, Buckets] = ({}, {})
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
        words: set[int] = set()
        for entry in entries:
            entry_index = len(index._entries)
            index._entries.append(entry)
            index._entry_first_name.append(len(index._names))
            for name_text, alias_type, strength in listed_names(entry):
                normalized = normalize_name(name_text, entry.entity_type)
                if not normalized.tokens:
                    continue
                name_id = len(index._names)
                index._names.append(
                    ListedName(entry_index, name_text, alias_type, strength, normalized)
                )
                for position, text in enumerate(index._index_terms(normalized)):
                    token_id = vocabulary.get(text)
                    if token_id is None:
                        token_id = index._token_id(text, postings)
                    if position < len(normalized.tokens):
                        words.add(token_id)
                    bucket = postings[token_id]
                    if not bucket or bucket[-1] != name_id:
                        bucket.append(name_id)
            for identifier in entry.identifiers:
                key = identifier_key(identifier.number)
                if len(key) >= 4:
                    index._by_identifier.setdefault(key, []).append(entry_index)
        index._entry_first_name.append(len(index._names))
        index._pairs_only = frozenset(range(len(index._tokens))) - words
        # Tuples sharing one int object per name: read without allocating, unlike an array.
        index._postings = [tuple(bucket) for bucket in postings]
        index._buckets = build_buckets(index._tokens, FALLBACK_MIN_LENGTH - 2)
        index._document_count = max(len(index._names), 1)
        if reference is not None:
            index._reference_frequency = reference._frequencies()
            index._document_count = reference._document_count
        index._compute_weights()
        return index

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
            name_content.append(tuple([token.kind in CONTENT_KINDS for token in tokens]))
            name_person.append(entries[name.entry_index].entity_type in _INITIALS_ALLOWED)
            name_joined_texts.append(tuple(joined_texts))
            name_joined_weights.append(tuple(joined_weights))
            name_factors.append(
                tuple(unmatched_factors(normalized, ())) if normalized.given_count else None
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

    def _lookup(self, token: Token, joined: bool = False) -> list[tuple[int, float]]:
        """Vocabulary tokens similar to ``token``, with their similarity.

        ``joined``: the token is two adjacent query words written together; it is looked up
        through the index only, never by the vocabulary scan (:mod:`.fallback`): two words
        written together are rarely within two edits of one listed word, and the scan was a
        third of the time of a search."""
        key = token.text + ("\0a" if token.abjad else "") + ("\0j" if joined else "")
        cached = self._lookup_cache.get(key)
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
        # In token-id order: the set's order depends on how it was filled (string hashing),
        # and the order of the result decides ties between candidates downstream.
        if joined:
            # Two query words written together stand for one listed word; two listed words
            # written together are those same two words, already counted one by one.
            found -= self._pairs_only
        ordered = sorted(found)
        if not token.abjad and token.kind in CONTENT_KINDS and len(ordered) > 8:
            # Only tokens with the same variant key or a spelling similarity of at least
            # SKELETON_MIN_SPELLING can be similar at all (vocabulary tokens are plain words
            # or numbers): rapidfuzz rules out the others in one call.
            close = {
                ordered[position]
                for _, _, position in process.extract(
                    token.text,
                    [tokens[token_id].text for token_id in ordered],
                    scorer=OSA.normalized_similarity,
                    score_cutoff=SKELETON_MIN_SPELLING - 1e-6,
                    limit=None,
                )
            }
            close.update(self._by_key.get(token.key, ()))
            ordered = [token_id for token_id in ordered if token_id in close]
        for token_id in ordered:
            similarity = token_similarity(token, tokens[token_id])[0]
            if similarity > 0:
                result.append((token_id, similarity))
                if similarity > best:
                    best = similarity
        if best < FALLBACK_BELOW and len(token.text) >= FALLBACK_MIN_LENGTH and not joined:
            result += fallback_scan(self._buckets, token, found)
        if len(self._lookup_cache) > 200_000:
            self._lookup_cache.clear()
        self._lookup_cache[key] = result
        return result

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
        identifier_keys = {
            identifier_key(item.number if isinstance(item, Identifier) else item)
            for item in identifiers
        }
        identifier_keys.discard("")
        qualifiers = Qualifiers.of(
            entity_type=entity_type,
            country=country,
            date_of_birth=date_of_birth,
            identifier_keys=identifier_keys,
            address=address,
        )
        # An entry that cannot reach min_score even with every bonus is left out without
        # working out its adjustments (an identifier sets a floor instead), and a name whose
        # score cannot reach it is not aligned at all (see NameScoring._score_name_above).
        ceiling = qualifiers.ceiling
        hopeless = min_score - ceiling - 1e-9 if min_score > 0 and not identifier_keys else -2.0
        best: dict[int, NameScore] = {}
        if normalized.tokens:
            candidates = self._candidates(prepared, CANDIDATES)
            self._prefill(prepared, candidates)
            names = self._names
            score_name = self._score_name_above
            for name_id in candidates:
                scored = score_name(prepared, name_id, hopeless)
                if scored is None:
                    continue
                name = names[name_id]
                if name.strength == "weak":
                    scored.score -= WEAK_ALIAS_PENALTY
                entry_index = name.entry_index
                known = best.get(entry_index)
                if known is None or scored.score > known.score:
                    best[entry_index] = scored
        for key in identifier_keys:
            for entry_index in self._by_identifier.get(key, ()):
                if entry_index not in best:
                    best[entry_index] = self._best_name_of(prepared, entry_index)
        results: list[tuple[float, int, list[dict[str, Any]]]] = []
        for entry_index, scored in best.items():
            if scored.score < hopeless:
                continue
            entry = self._entries[entry_index]
            adjustments = qualifiers.adjustments(entry)
            score = qualifiers.adjusted(scored.score, adjustments)
            if score >= min_score:
                results.append((score, entry_index, adjustments))
        results.sort(key=lambda item: (-item[0], item[1]))
        return [
            self._match(prepared, best[entry_index], score, adjustments)
            for score, entry_index, adjustments in results[:limit]
        ]

    def _best_name_of(self, query: PreparedQuery, entry_index: int) -> NameScore:
        first = self._entry_first_name
        scores = [
            self._score_name(query, name_id)
            for name_id in range(first[entry_index], first[entry_index + 1])
        ]
        return max(scores, key=lambda scored: scored.score)

    def _match(
        self,
        query: PreparedQuery,
        scored: NameScore,
        score: float,
        adjustments: list[dict[str, Any]],
    ) -> Match:
        name = self._names[scored.name_id]
        entry = self._entries[name.entry_index]
        return explain_match(query, name, entry, scored, score, adjustments)
