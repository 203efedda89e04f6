"""Name normalisation: from a name as written to the tokens the matcher compares.

``normalize_name("AL-SHAAR, Mohammad Ibrahim", "individual")`` gives the tokens
``mohammad ibrahim al shaar``: text in any script is transliterated to ASCII (anyascii), case is
folded, apostrophes dropped and other punctuation split, ``LAST, First`` is put in
``First LAST`` order, parenthesised parts are set aside, and organisation legal forms
(``data/legal_forms.txt``: LLC, S.A. DE C.V., OOO, ...) are recognised and reported separately.
Legal-form tokens stay in the name as kind ``legal`` so that a reordered or misspelt legal form
still pairs up, but they weigh almost nothing in a score.

Every token carries:

* ``text``: the folded spelling;
* ``key``: the spelling-variant group it belongs to (``data/name_variants.txt``: Mohammed,
  Muhammad and Mohamed share the key ``muhammad``), or ``text`` when it has no group;
* ``skeleton``: a consonant skeleton (vowels dropped, similar-sounding consonant spellings merged)
  used both to find candidates despite transliteration and to grade similarity;
* ``sound``: the spelling with those consonant spellings merged and the vowel spellings that
  transliterations swap merged too (``ee``/``i``, ``oo``/``ou``/``u``, ``y``/``i``, doubled
  letters): ``Becheer`` and ``Bechir``, ``Ghaith`` and ``Ghayth`` sound the same, while
  ``Karimi`` and ``Karami`` (another vowel) do not;
* ``kind``: ``word``, ``particle`` (al, bin, van, Dr, and, of ...: ``data/particles.txt``),
  ``legal`` (part of a legal form), ``initial`` (one letter) or ``number``;
* ``abjad``: the token was written in Arabic or Hebrew script, whose transliteration has no
  vowels, so it is compared by skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from anyascii import anyascii

if TYPE_CHECKING:
    from screening.engine.models import ListEntry

TokenKind = Literal["word", "particle", "legal", "initial", "number"]

_DATA = Path(__file__).with_name("data")
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_APOSTROPHES = re.compile("['`\u2019\u02bb\u02bc\u00b4\u2018]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ABJAD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SPLIT_SCRIPT = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_VOWELS = re.compile(r"[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")
_SKELETON_RULES = (
    ("sch", "s"),
    ("tch", "c"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "c"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("w", "v"),
)
# The same rules, applied faster: the multi-letter rules in order (those with an "h" only when
# the word has one: no rule makes an "h"), then the one-letter rules as one translation (no
# one-letter rule makes a letter that a later rule changes).
_SKELETON_PAIRS = tuple((old, new) for old, new in _SKELETON_RULES if len(old) > 1)
_SKELETON_PAIRS_NO_H = tuple((old, new) for old, new in _SKELETON_PAIRS if "h" not in old)
_SKELETON_LETTERS = str.maketrans({old: new for old, new in _SKELETON_RULES if len(old) == 1})
_MAX_LEGAL_WINDOW = 10
_ORGANISATION_TYPES = frozenset({"entity", "vessel", "aircraft"})


@dataclass(frozen=True, slots=True)
class Token:
    """One comparable unit of a name; see the module docstring for the fields."""

    text: str
    key: str
    skeleton: str
    kind: TokenKind
    abjad: bool = False
    sound: str = ""


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name ready for matching.

    ``tokens`` are in reading order (``First LAST`` for reordered names); ``legal_forms`` are
    the legal-form phrases found (folded), whose tokens have kind ``legal``; ``reordered`` is
    true when a ``LAST, First`` comma form was turned around, and then the first
    ``given_count`` tokens are the given names and the rest the surname(s).
    """

    original: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()
    reordered: bool = False
    given_count: int = 0

    @property
    def text(self) -> str:
        """The tokens joined by single spaces."""
        return " ".join(token.text for token in self.tokens)


def _data_lines(name: str) -> list[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def fold(text: str) -> list[str]:
    """Lower-case ASCII words of ``text`` (transliterated, apostrophes dropped, ``&`` = and)."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text))
    ascii_text = _APOSTROPHES.sub("", ascii_text).lower().replace("&", " and ")
    return _NON_ALNUM.sub(" ", ascii_text).split()


def fold_name(text: str) -> str:
    """A name or street line as one comparable string: transliterated to ASCII, lower case,
    without accents, apostrophes or punctuation, single spaces ("Müller-Lüdenscheid  GmbH"
    -> "muller ludenscheid gmbh", "Петров" -> "petrov"). For comparing names as people type
    them outside the matcher (equal folds are the same name)."""
    return " ".join(fold(text))


@cache
def variant_keys() -> dict[str, str]:
    """Spelling -> group key, from ``data/name_variants.txt``."""
    keys: dict[str, str] = {}
    for line in _data_lines("name_variants.txt"):
        words = line.split()
        for word in words:
            keys.setdefault(word, words[0])
    return keys


@cache
def particles() -> frozenset[str]:
    """Particles, honorifics and connecting words, from ``data/particles.txt``."""
    return frozenset(word for line in _data_lines("particles.txt") for word in fold(line))


@cache
def legal_form_keys() -> frozenset[str]:
    """Legal forms as letter strings without spaces (``"sadecv"``), from ``legal_forms.txt``."""
    return frozenset("".join(fold(line)) for line in _data_lines("legal_forms.txt"))


_AMBIGUOUS_LEGAL_WORDS = frozenset(
    {"and", "trust", "reg", "est", "open", "public", "capital", "variable", "private", "tic", "sti"}
)


@cache
def legal_words() -> frozenset[str]:
    """Words that signal a legal form wherever they stand (``limited``, ``ooo``, ``gmbh`` ...).

    Every word of three or more letters in ``legal_forms.txt`` except a few that also occur in
    ordinary names (``open``, ``public``, ``trust`` ...); shorter forms (``sa``, ``ag``, ``co``)
    count only at the start or end of a name or inside a longer legal phrase.
    """
    return frozenset(
        word
        for line in _data_lines("legal_forms.txt")
        for word in fold(line)
        if len(word) >= 3 and word not in _AMBIGUOUS_LEGAL_WORDS
    )


def _consonant_spellings(text: str) -> str:
    """``text`` with similar-sounding consonant spellings merged (``kh``/``h``, ``ph``/``f``,
    ``q``/``k`` ...); a final ``h`` after a vowel dropped and a final ``ff`` after a vowel read
    as the German and French spelling of a Slavic ``v`` (Petroff)."""
    if len(text) > 3 and text.endswith("h") and text[-2] in "aeiou":
        text = text[:-1]
    if len(text) > 4 and text.endswith("ff") and text[-3] in "aeiouy":
        text = text[:-2] + "v"
    for old, new in _SKELETON_PAIRS if "h" in text else _SKELETON_PAIRS_NO_H:
        text = text.replace(old, new)
    return text.translate(_SKELETON_LETTERS)


def skeleton(text: str) -> str:
    """Consonant skeleton: ``"mohammed"`` and ``"muhamad"`` both give ``"mhmd"``."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", _consonant_spellings(text)))


_SOUND_VOWELS = (("y", "i"), ("ee", "i"), ("oo", "u"), ("ou", "u"))


def sound(text: str) -> str:
    """The spelling as it sounds: the skeleton's consonant merges with the vowels kept, ``y``
    read as ``i``, ``ee`` as ``i``, ``oo`` and ``ou`` as ``u``, doubled letters once
    (``"abbasee"`` and ``"abbasi"`` both give ``"abasi"``)."""
    text = _consonant_spellings(text)
    for old, new in _SOUND_VOWELS:
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


# Bounded: every distinct query word passes through here, so an unbounded cache would grow for
# the life of a worker. 200,000 holds every listed token with room for the queries.
@lru_cache(maxsize=200_000)
def make_token(text: str, kind: TokenKind, abjad: bool = False) -> Token:
    """The (shared) :class:`Token` for a folded word."""
    if kind == "number":
        return Token(text, variant_keys().get(text, text), text, kind, abjad, text)
    return Token(text, variant_keys().get(text, text), skeleton(text), kind, abjad, sound(text))


_ABJAD_PARTICLES = frozenset({"al", "bn", "bnt"})


def _particle_form(word: str) -> str:
    """``word`` with doubled letters written once when that makes a short particle (``all`` ->
    ``al``, ``ell`` -> ``el``: a transliteration doubles letters freely), else ``word``."""
    if len(word) <= 4 and _REPEATS.search(word):
        single = _REPEATS.sub(r"\1", word)
        if single in _ARTICLES:
            return single
    return word


def _token_kind(word: str, abjad: bool = False) -> TokenKind:
    if any(map(str.isdigit, word)):
        return "number"
    if word in (_ABJAD_PARTICLES if abjad else particles()):
        return "particle"
    if len(word) == 1:
        return "initial"
    return "word"


def _legal_positions(words: list[str]) -> tuple[set[int], list[str]]:
    """Positions of words that belong to a legal form, and the legal phrases found."""
    keys = legal_form_keys()
    anywhere = legal_words()
    positions: set[int] = set()
    phrases: list[str] = []
    index = 0
    while index < len(words):
        found = 0
        for size in range(min(_MAX_LEGAL_WINDOW, len(words) - index), 0, -1):
            window = words[index : index + size]
            at_edge = index == 0 or index + size == len(words)
            short = size == 1 and len(window[0]) <= 3 and window[0] not in anywhere
            if "".join(window) in keys and (at_edge or not short):
                found = size
                break
        if found:
            phrases.append(" ".join(words[index : index + found]))
            positions.update(range(index, index + found))
            index += found
            continue
        if words[index] in anywhere:
            phrases.append(words[index])
            positions.add(index)
        index += 1
    return positions, phrases


_HYPHEN_ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "an", "ar", "as", "ash", "at", "az", "abu", "abd", "ibn", "bint"}
)
"""Articles written with a hyphen (``al-Tikriti``); the Romance and Germanic ones (``da``,
``de``, ``van``) never are, so ``Da-eun`` is one given name."""
_ARTICLES = _HYPHEN_ARTICLES | frozenset(
    {"de", "da", "di", "du", "del", "la", "le", "van", "von", "der", "den", "mac", "mc"}
)
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _join_hyphenated(text: str) -> list[str]:
    """Fold ``text``, writing ``Su-bin`` and ``Kwang-ho`` as one word (a hyphenated given name
    is one name) unless a part is a particle or legal form (``al-Tikriti`` stays two words)."""
    words: list[str] = []
    for chunk in text.split():
        parts = _HYPHENATED.split(chunk)
        folded = [fold(part) for part in parts]
        if len(parts) == 2 and all(len(f) == 1 for f in folded):
            left, right = folded[0][0], folded[1][0]
            forms = {_particle_form(left), _particle_form(right)}
            plain = forms.isdisjoint(_HYPHEN_ARTICLES) and {left, right}.isdisjoint(legal_words())
            if plain and len(left) >= 2 and len(right) >= 2 and left.isalpha() and right.isalpha():
                words.append(left + right)
                continue
        words.extend(word for part in folded for word in part)
    return words


def _merge_letter_runs(words: list[str], legal: set[int]) -> tuple[list[str], set[int]]:
    """``t e g limited`` -> ``teg limited``: organisation acronyms are written with or without
    dots, and the dots have already split them into letters. Letters inside a legal form
    (``s r o``) merge among themselves only."""
    merged: list[str] = []
    merged_legal: set[int] = set()
    run: list[str] = []
    run_legal = False
    for position, word in enumerate([*words, ""]):
        is_legal = position in legal
        if len(word) == 1 and word.isalpha() and (not run or run_legal == is_legal):
            run.append(word)
            run_legal = is_legal
            continue
        if run:
            if run_legal:
                merged_legal.add(len(merged))
            merged.append("".join(run))
            run = []
        if len(word) == 1 and word.isalpha():
            run, run_legal = [word], is_legal
            continue
        if word:
            if is_legal:
                merged_legal.add(len(merged))
            merged.append(word)
    return merged, merged_legal


def parenthesised(name: str) -> list[str]:
    """Texts in parentheses or brackets, e.g. the acronym in ``"... Technology (AASPT)"``."""
    return [
        (round_text or square_text).strip()
        for round_text, square_text in _PARENTHESES.findall(name)
        if (round_text or square_text).strip()
    ]


def _reorder(name: str, entity_type: str | None) -> tuple[str, str]:
    """``(name in reading order, the given-name part or "" when not reordered)``."""
    if name.count(",") != 1 or entity_type not in {None, "individual", "unknown"}:
        return name, ""
    last, first = (part.strip() for part in name.split(","))
    if not first or not last:
        return name, ""
    if entity_type != "individual":
        first_words = fold(first)
        keys = legal_form_keys()
        if len(first_words) > 3 or "".join(first_words) in keys:
            return name, ""
        if any(word in keys for word in (*first_words, *fold(last))):
            return name, ""
    return f"{first} {last}", first


def normalize_name(name: str, entity_type: str | None = None) -> NormalizedName:
    """Normalise a name for matching.

    ``entity_type`` (``"individual"``, ``"entity"``, ``"vessel"``, ``"aircraft"``,
    ``"unknown"`` or ``None``) decides three things: ``LAST, First`` is reordered only for
    individuals and untyped names whose part after the comma is not a legal form; legal forms
    are recognised for everything except individuals; runs of single letters are joined into one
    acronym (``T.E.G.`` = ``TEG``) for organisations, while elsewhere they stay initials.
    """
    text = unicodedata.normalize("NFKC", name)
    text = " ".join(_PARENTHESES.sub(" ", text).split()) or text
    text, given = _reorder(text, entity_type)
    abjad = bool(_ABJAD.search(text))
    if _SPLIT_SCRIPT.search(text):
        text = " ".join(_CAMEL.sub(" ", anyascii(part)) for part in text.split())
    words = _join_hyphenated(text) if "-" in text else fold(text)
    if abjad:
        words = [
            part
            for word in words
            for part in (("al", word[1:]) if len(word) >= 4 and word[0] == "l" else (word,))
        ]
    words = [_particle_form(word) for word in words]
    legal_positions: set[int] = set()
    phrases: list[str] = []
    if entity_type != "individual":
        legal_positions, phrases = _legal_positions(words)
    if entity_type in _ORGANISATION_TYPES:
        words, legal_positions = _merge_letter_runs(words, legal_positions)
    kinds = [_token_kind(word, abjad) for word in words]
    content = [i for i, kind in enumerate(kinds) if i not in legal_positions and kind != "particle"]
    if content:
        for position in legal_positions:
            if kinds[position] != "number":
                kinds[position] = "legal"
    else:
        phrases = []
    tokens = tuple(make_token(word, kind, abjad) for word, kind in zip(words, kinds, strict=True))
    given_count = len(fold(given)) if given else 0
    if given_count >= len(tokens):
        given_count = 0
    return NormalizedName(name, tokens, tuple(phrases), bool(given), given_count)


def listed_names(entry: ListEntry) -> list[tuple[str, str, str]]:
    """``(name, alias type, strength)`` of every name the index holds for ``entry``: the
    primary name, the aliases and, for organisations, short parenthesised parts (acronyms)."""
    names: list[tuple[str, str, str]] = [(entry.primary_name, "primary", "")]
    names += [(alias.name, alias.alias_type, alias.strength) for alias in entry.aliases]
    if entry.entity_type != "individual":
        for text, _, _ in list(names):
            for inner in parenthesised(text):
                words = fold(inner)
                if 1 <= len(words) <= 3 and sum(len(word) for word in words) >= 3:
                    names.append((inner, "acronym", "weak"))
    return list(dict.fromkeys(names))
