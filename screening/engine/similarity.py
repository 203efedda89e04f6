"""Similarity of two name tokens, graded and explained.

The grades are deliberately coarse and named, so that a score can be explained to an officer:

========================  =====  ==========================================================
reason                    value  when
========================  =====  ==========================================================
``exact``                 1.00   same folded spelling
``spelling variant``      0.95   same group in ``data/name_variants.txt`` (Mohamed/Muhammad)
``same sound``            0.92   same consonant skeleton and the same sound once transliterated
                                 vowel spellings are merged (Becheer/Bechir, Ghaith/Ghayth;
                                 see :func:`.normalize.sound`), spelling at least 0.6 alike
``same consonants``       <=0.9  same consonant skeleton and first sound and spelling at least
                                 half alike (Kowalski/Kowalsky): spelling similarity + 0.25, at
                                 most 0.88; or an Arabic-script token whose skeleton is close
``typo``                  0.6-1  optimal-string-alignment similarity (one edit in a six-letter
                                 name gives 0.83; a swap of neighbours counts as one edit)
``initial``               0.60   a one-letter token and a word starting with that letter
========================  =====  ==========================================================

Anything below :data:`MIN_TOKEN_SIMILARITY` counts as no match (``0.0``): two unrelated short
names always share a letter or two, and partial credit for that only produces noise.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from screening.engine.normalize import Token

MIN_TOKEN_SIMILARITY = 0.7
VARIANT_SIMILARITY = 0.95
SOUND_SIMILARITY = 0.92
SKELETON_SIMILARITY = 0.88
SKELETON_BOOST = 0.1
SKELETON_MIN_SPELLING = 0.6
INITIAL_SIMILARITY = 0.6
NO_MATCH = (0.0, "")


def _initial_sound(token: Token) -> str:
    """How a word starts when spelt by consonants: ``kh``/``h``, ``ph``/``f``, ``dj``/``j``,
    ``q``/``k``, ``w``/``v`` start the same; a word starting with a vowel starts with one."""
    return token.skeleton[0] if token.text[0] not in "aeiouy" else "*"


def spelling_similarity(query: str, listed: str) -> float:
    """Optimal-string-alignment similarity of two spellings, ``0.0`` below the minimum."""
    similarity = OSA.normalized_similarity(query, listed)
    return similarity if similarity >= MIN_TOKEN_SIMILARITY else 0.0


def token_similarity(query: Token, listed: Token) -> tuple[float, str]:
    """``(similarity in [0, 1], reason)`` for a query token against a listed token."""
    if query.text == listed.text:
        return 1.0, "exact"
    if query.kind == "number" or listed.kind == "number":
        return NO_MATCH
    if query.kind == "initial" or listed.kind == "initial":
        if query.kind == listed.kind:
            return NO_MATCH
        initial, word = (query, listed) if query.kind == "initial" else (listed, query)
        return (INITIAL_SIMILARITY, "initial") if word.text[0] == initial.text else NO_MATCH
    if query.key == listed.key:
        return VARIANT_SIMILARITY, "spelling variant"
    similarity = OSA.normalized_similarity(query.text, listed.text)
    reason = "typo"
    if query.abjad or listed.abjad:
        by_skeleton = 0.95 * OSA.normalized_similarity(query.skeleton, listed.skeleton)
        if by_skeleton > similarity:
            similarity, reason = by_skeleton, "same consonants"
    elif (
        query.skeleton == listed.skeleton
        and len(query.skeleton) >= 2
        and similarity >= SKELETON_MIN_SPELLING
        and (query.text[0] == listed.text[0] or _initial_sound(query) == _initial_sound(listed))
    ):
        if query.sound == listed.sound and similarity < SOUND_SIMILARITY:
            similarity, reason = SOUND_SIMILARITY, "same sound"
        elif similarity < SKELETON_SIMILARITY:
            similarity = min(SKELETON_SIMILARITY, similarity + SKELETON_BOOST)
            reason = "same consonants"
    if similarity < MIN_TOKEN_SIMILARITY:
        return NO_MATCH
    return similarity, reason
