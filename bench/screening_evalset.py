"""Deterministic evaluation set for the screening engine, generated from the listed names.

Positives are listed names (primary names and aliases) of sampled SDN entries, mutated the way
names arrive in a portal: case and punctuation changes and ``First LAST`` order (always
possible), typos (insert, delete, substitute, swap neighbours), reordered words, a dropped middle
name, transliteration changes, legal-form changes, and a second mutation on top in a quarter of
the cases. The transliteration rules here (``ou``/``u``, ``y``/``i``, ``kh``/``h``, ``ov``/``off``,
vowel swaps, doubled letters ...) are written independently of the engine's variant table, so the
set does not simply replay the engine's own data.

Negatives are ordinary person names (first, optional middle, last, from one cultural group or
mixed; lists in bench/data/) and company names (descriptor or surname, industry words, legal
form). A negative whose words, as the engine normalises them, equal a listed name's words is a
namesake rather than an innocent name and is left out; the count is printed.

    .venv/bin/python bench/screening_evalset.py --seed 1 --show 20
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screening_common import data_argument, load_ofac

from screening.engine import ListEntry, normalize_name

DATA = Path(__file__).with_name("data")
TUNING_SEED = 1
HELD_OUT_SEED = 2
LETTERS = "abcdefghijklmnopqrstuvwxyz"
TRANSLITERATION_RULES = (
    ("ou", "u"),
    ("u", "ou"),
    ("y", "i"),
    ("i", "y"),
    ("kh", "h"),
    ("ee", "i"),
    ("i", "ee"),
    ("oo", "u"),
    ("dj", "j"),
    ("j", "dj"),
    ("sh", "sch"),
    ("ph", "f"),
    ("f", "ph"),
    ("w", "v"),
    ("v", "w"),
    ("q", "k"),
    ("k", "q"),
    ("c", "k"),
    ("ck", "k"),
    ("ie", "i"),
    ("ei", "ey"),
    ("ey", "ei"),
    ("ov", "off"),
    ("ev", "eff"),
    ("sky", "ski"),
    ("ski", "sky"),
    ("aa", "a"),
    ("e", "a"),
    ("a", "e"),
    ("o", "u"),
    ("u", "o"),
    ("ss", "s"),
    ("s", "ss"),
    ("mm", "m"),
    ("m", "mm"),
    ("dd", "d"),
    ("tt", "t"),
    ("ll", "l"),
    ("l", "ll"),
    ("z", "s"),
    ("s", "z"),
    ("x", "ks"),
    ("ks", "x"),
    ("ch", "tch"),
    ("zh", "j"),
    ("g", "gh"),
)


@dataclass(frozen=True, slots=True)
class Case:
    """One query of the evaluation set.

    ``target`` is the SDN ent_num a positive must find; ``mutations`` says how the listed name
    ``source`` was changed (``"-"`` for negatives); ``kind`` is ``person`` or ``company``.
    """

    query: str
    positive: bool
    entity_type: str
    target: str
    mutations: str
    source: str
    kind: str


def _section_words(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        if current == "legal":
            sections.setdefault(current, []).append(line.strip())
        else:
            sections.setdefault(current, []).extend(line.split())
    return sections


def _grouped(path: Path) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        group, name = line.split("\t")
        groups.setdefault(group, []).append(name)
    return groups


def _first_last(name: str) -> str:
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if first and last:
            return f"{first} {last}"
    return name


def _case_punctuation(rng: random.Random, name: str) -> str:
    style = rng.choice(("upper", "lower", "title", "keep"))
    text = {"upper": name.upper(), "lower": name.lower(), "title": name.title()}.get(style, name)
    if rng.random() < 0.5:
        text = re.sub(r"[.,]", "", text)
    if rng.random() < 0.3:
        text = text.replace("-", " ")
    return " ".join(text.split())


def _words(name: str) -> list[str]:
    return name.split()


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(len(word))
    operation = rng.choice(("insert", "delete", "substitute", "transpose"))
    letter = rng.choice(LETTERS)
    if word[position].isupper():
        letter = letter.upper()
    if operation == "insert":
        return word[:position] + letter + word[position:]
    if operation == "delete":
        return word[:position] + word[position + 1 :]
    if operation == "substitute":
        return word[:position] + letter + word[position + 1 :]
    if position == len(word) - 1:
        position -= 1
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _alpha_indexes(words: Sequence[str], minimum: int) -> list[int]:
    return [i for i, word in enumerate(words) if sum(ch.isalpha() for ch in word) >= minimum]


def mutate_typo(rng: random.Random, name: str) -> str | None:
    words = _words(name)
    candidates = _alpha_indexes(words, 4)
    if not candidates:
        return None
    letters = sum(len(word) for word in words)
    count = 2 if letters >= 15 and len(candidates) >= 2 and rng.random() < 0.3 else 1
    for index in rng.sample(candidates, count):
        words[index] = _typo(rng, words[index])
    return " ".join(words)


def mutate_reorder(rng: random.Random, name: str) -> str | None:
    words = _words(name)
    if len(set(words)) < 2:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def mutate_drop_middle(rng: random.Random, name: str) -> str | None:
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        given = first.split()
        if len(given) < 2 or len(given[-1]) <= 2 or len(given[0]) <= 2:
            return None
        del given[rng.randrange(1, len(given))]
        return f"{last}, {' '.join(given)}"
    words = _words(name)
    middle = [i for i in range(1, len(words) - 1) if len(words[i]) > 2 and len(words[0]) > 2]
    if len(words) < 3 or not middle:
        return None
    del words[rng.choice(middle)]
    return " ".join(words)


def mutate_drop_word(rng: random.Random, name: str) -> str | None:
    """One word of a company name left out: names with three or more words that are neither
    legal forms nor particles (as the engine reads them), so that two remain; the dropped word is
    any of them."""
    words = _words(name)
    tokens = normalize_name(name, "entity").tokens
    content = {token.text for token in tokens if token.kind == "word" and len(token.text) > 2}
    droppable = [
        index
        for index, word in enumerate(words)
        if (folded := normalize_name(word, "entity").tokens)
        and all(token.text in content for token in folded)
    ]
    if len(content) < 3 or len(droppable) < 3:
        return None
    del words[rng.choice(droppable)]
    return " ".join(words).rstrip(",")


def mutate_transliteration(rng: random.Random, name: str) -> str | None:
    words = _words(name)
    options = [
        (index, old, new)
        for index in _alpha_indexes(words, 4)
        for old, new in TRANSLITERATION_RULES
        if old in words[index].lower()[1:] or (old in words[index].lower() and len(old) > 1)
    ]
    if not options:
        return None
    index, old, new = rng.choice(options)
    word = words[index]
    lowered = word.lower()
    spots = [
        m.start() for m in re.finditer(re.escape(old), lowered) if m.start() > 0 or len(old) > 1
    ]
    spot = rng.choice(spots)
    replacement = new.upper() if word.isupper() else new
    words[index] = word[:spot] + replacement + word[spot + len(old) :]
    return " ".join(words)


def mutate_legal(rng: random.Random, name: str, legal_forms: Sequence[str]) -> str | None:
    words = _words(name)
    folded = [re.sub(r"[^a-z]", "", word.lower()) for word in words]
    forms = {re.sub(r"[^a-z]", "", form.lower()): form for form in legal_forms}
    for size in (4, 3, 2, 1):
        if len(words) > size and "".join(folded[-size:]) in forms:
            stem = " ".join(words[:-size]).rstrip(",")
            return stem if rng.random() < 0.4 else f"{stem} {rng.choice(legal_forms)}"
    return f"{name.rstrip(',')} {rng.choice(legal_forms)}"


def _name_key(name: str, entity_type: str | None) -> tuple[str, ...]:
    tokens = normalize_name(name, entity_type).tokens
    return tuple(sorted(t.key for t in tokens if t.kind in {"word", "number"}))


def listed_keys(entries: Sequence[ListEntry]) -> set[tuple[str, ...]]:
    """Normalised word keys of every listed name (to keep namesakes out of the negatives)."""
    return {
        key
        for entry in entries
        for name in entry.all_names()
        for key in (_name_key(name, entry.entity_type), _name_key(name, None))
    }


def generate(
    entries: Sequence[ListEntry],
    *,
    seed: int,
    positives: int = 3000,
    negatives: int = 6000,
    known: set[tuple[str, ...]] | None = None,
    drop_words: bool = False,
) -> tuple[list[Case], dict[str, int]]:
    """The evaluation cases for ``seed`` and counts of what was generated or left out.

    ``drop_words`` adds the ``drop_word`` mutation (one word of a company name left out); it
    changes the random draws, so the sets differ from those generated without it."""
    rng = random.Random(seed)
    words = _section_words(DATA / "screening_company_words.txt")
    first_names = _grouped(DATA / "screening_first_names.tsv")
    last_names = _grouped(DATA / "screening_last_names.tsv")
    legal_forms = words["legal"]
    stats: Counter[str] = Counter()
    cases: list[Case] = []
    people = [e for e in entries if e.entity_type == "individual"]
    organisations = [e for e in entries if e.entity_type == "entity"]
    vessels = [e for e in entries if e.entity_type == "vessel"]
    while sum(case.positive for case in cases) < positives:
        pool = rng.choices((people, organisations, vessels), weights=(50, 45, 5))[0]
        entry = rng.choice(pool)
        names = entry.all_names()
        index = rng.randrange(len(names))
        source = names[index]
        is_person = entry.entity_type == "individual"
        base = _first_last(source) if is_person and rng.random() < 0.7 else source
        operations = ["typo", "reorder", "translit", "case"]
        if is_person:
            operations.append("drop_middle")
        else:
            operations.append("legal")
            if drop_words:
                operations.append("drop_word")
        applied: list[str] = []
        query: str | None = base
        for _ in range(2 if rng.random() < 0.25 else 1):
            operation = rng.choice([op for op in operations if op not in applied])
            if operation == "case":
                result: str | None = query
            elif operation == "typo":
                result = mutate_typo(rng, query or "")
            elif operation == "reorder":
                result = mutate_reorder(rng, (query or "").replace(",", ""))
            elif operation == "translit":
                result = mutate_transliteration(rng, query or "")
            elif operation == "drop_middle":
                result = mutate_drop_middle(rng, query or "")
            elif operation == "drop_word":
                result = mutate_drop_word(rng, query or "")
            else:
                result = mutate_legal(rng, query or "", legal_forms)
            if result is None:
                continue
            query = result
            applied.append(operation)
        query = _case_punctuation(rng, query or "")
        if not query or not applied:
            continue
        if sum(ch.isalpha() for ch in source) < 5 and {"typo", "translit"} & set(applied):
            continue
        if index:
            applied.insert(0, "alias")
        stats["positive " + "+".join(applied)] += 1
        cases.append(
            Case(
                query=query,
                positive=True,
                entity_type="individual" if is_person else "entity",
                target=entry.source_id,
                mutations="+".join(applied),
                source=source,
                kind="person" if is_person else "company",
            )
        )
    known = known if known is not None else listed_keys(entries)
    groups = sorted(set(first_names) & set(last_names))
    descriptors = words["descriptor"]
    industries = words["industry"]
    made = 0
    seen_negatives: set[str] = set()
    while made < negatives:
        if rng.random() < 0.65:
            group = rng.choice(groups)
            last_group = group if rng.random() < 0.8 else rng.choice(groups)
            first = rng.choice(first_names[group])
            last = rng.choice(last_names[last_group])
            middle = rng.choice(first_names[group]) if rng.random() < 0.25 else ""
            style = rng.random()
            if style < 0.15:
                query = f"{last.upper()}, {first} {middle}".strip()
            elif style < 0.25 and middle:
                query = f"{first} {middle[0]}. {last}"
            else:
                query = " ".join(part for part in (first, middle, last) if part)
            entity_type, kind = "individual", "person"
        else:
            if rng.random() < 0.3:
                group = rng.choice(groups)
                head = rng.choice(last_names[group])
            else:
                head = " ".join(rng.sample(descriptors, rng.choice((1, 1, 2))))
            tail = " ".join(rng.sample(industries, rng.choice((1, 1, 2))))
            legal = rng.choice(legal_forms) if rng.random() < 0.8 else ""
            query = " ".join(part for part in (head, tail, legal) if part)
            entity_type, kind = "entity", "company"
        if query in seen_negatives:
            continue
        seen_negatives.add(query)
        if _name_key(query, entity_type) in known or _name_key(query, None) in known:
            stats["negative left out as a listed namesake"] += 1
            continue
        made += 1
        stats[f"negative {kind}"] += 1
        cases.append(Case(query, False, entity_type, "", "-", "", kind))
    rng.shuffle(cases)
    return cases, dict(stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    parser.add_argument("--seed", type=int, default=TUNING_SEED)
    parser.add_argument("--show", type=int, default=20, help="print this many sample cases")
    arguments = parser.parse_args()
    entries = load_ofac(arguments.data)
    cases, stats = generate(entries, seed=arguments.seed)
    for key, count in sorted(stats.items()):
        print(f"{count:6d}  {key}")
    for case in cases[: arguments.show]:
        label = f"+ {case.mutations:>22} <- {case.source}" if case.positive else "-"
        print(f"{case.query!r:60} {label}")


if __name__ == "__main__":
    main()
