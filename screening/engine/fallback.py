"""The vocabulary scan of a lookup that found nothing close through the index.

A query word two or more edits from every listed word (two typos, a transliteration and a typo)
meets no listed word through the spelling-variant, skeleton or one-deletion keys of
:class:`.index.ScreeningIndex`; :func:`fallback_scan` then compares it, in C by rapidfuzz, with
the vocabulary words of similar length that share its first or last letter.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from screening.engine.normalize import Token
from screening.engine.similarity import MIN_TOKEN_SIMILARITY

FALLBACK_LIMIT = 5
_INDEL_CUTOFF = 0.69
"""Necessary Indel similarity for an OSA similarity of :data:`MIN_TOKEN_SIMILARITY` (0.7, less a
margin for rounding); see :func:`fallback_scan`."""

Buckets = dict[str, tuple["array[int]", list[str], "array[int]"]]
"""Vocabulary words by first (or last) letter: token ids and texts ordered by length, and
where each length starts."""


def build_buckets(tokens: Sequence[Token], shortest: int) -> tuple[Buckets, Buckets]:
    """The vocabulary words (no numbers, at least ``shortest`` letters) grouped by first letter
    and by last letter, each group ordered by length (then by token id)."""
    grouped: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
    for token_id, token in enumerate(tokens):
        if token.kind == "number" or len(token.text) < shortest:
            continue
        grouped[0].setdefault(token.text[0], []).append(token_id)
        grouped[1].setdefault(token.text[-1], []).append(token_id)
    buckets: tuple[Buckets, Buckets] = ({}, {})
    for side, groups in enumerate(grouped):
        for letter, ids in groups.items():
            ids.sort(key=lambda token_id: len(tokens[token_id].text))
            # Fresh copies made one after the other: rapidfuzz then reads a group's words
            # from adjacent memory, markedly faster than from all over the heap.
            texts = [tokens[token_id].text.encode().decode() for token_id in ids]
            lengths = [len(text) for text in texts]
            starts = array("i", (bisect_left(lengths, n) for n in range(lengths[-1] + 2)))
            buckets[side][letter] = (array("i", ids), texts, starts)
    return buckets


def fallback_scan(
    buckets: tuple[Buckets, Buckets], token: Token, seen: set[int]
) -> list[tuple[int, float]]:
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
        group = buckets[side].get(letter)
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
