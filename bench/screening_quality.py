"""Screening quality on the generated evaluation sets: recall, false-positive rate, precision.

Builds the index over the shared OFAC lists (2024-05 sdn.csv with the 2021 aliases), screens
the tuning set (seed 1) and the held-out set (seed 2), and prints a threshold sweep, the chosen
review and hit thresholds (chosen on the tuning set only: the review threshold is the lowest
whose false-positive rate is at most 0.003, the hit threshold the lowest at most 0.0005), the
same figures on the held-out set, recall per mutation, the worst misses and false positives, and
the plain rapidfuzz ``WRatio >= 90`` baseline on the same queries.

A positive is found at threshold t when its target entry is among the results with a score of at
least t; a negative is a false positive when any entry scores at least t. Queries carry the
entity type (person or organisation), as the portal knows it; ``--name-only`` drops it.

    .venv/bin/python bench/screening_quality.py [--data PATH] [--baseline-sample 1500]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from rapidfuzz import fuzz, process, utils
from screening_common import data_argument, load_ofac
from screening_evalset import HELD_OUT_SEED, TUNING_SEED, Case, generate, listed_keys

from screening.engine import ListEntry, ScreeningIndex

THRESHOLDS = [round(0.60 + 0.01 * step, 2) for step in range(40)]
REVIEW_FPR = 0.003
STRICT_FPR = 0.001
HIT_FPR = 0.0005


def screen(index: ScreeningIndex, cases: list[Case], name_only: bool) -> list[tuple[Case, float]]:
    """For each case: the target's score (positives) or the best score of any entry."""
    scored = []
    for case in cases:
        matches = index.search(
            case.query,
            entity_type=None if name_only else case.entity_type,
            limit=10,
            min_score=THRESHOLDS[0],
        )
        if case.positive:
            score = max((m.score for m in matches if m.source_id == case.target), default=0.0)
        else:
            score = max((m.score for m in matches), default=0.0)
        scored.append((case, score))
    return scored


def rates(scored: list[tuple[Case, float]], threshold: float) -> tuple[float, float, float]:
    """``(recall, false-positive rate, precision)`` at ``threshold``."""
    positives = [score for case, score in scored if case.positive]
    negatives = [score for case, score in scored if not case.positive]
    found = sum(score >= threshold for score in positives)
    false = sum(score >= threshold for score in negatives)
    recall = found / len(positives)
    fpr = false / len(negatives)
    precision = found / (found + false) if found + false else 1.0
    return recall, fpr, precision


def choose(scored: list[tuple[Case, float]], max_fpr: float) -> float:
    """The lowest swept threshold whose false-positive rate is at most ``max_fpr``."""
    for threshold in THRESHOLDS:
        if rates(scored, threshold)[1] <= max_fpr:
            return threshold
    return THRESHOLDS[-1]


def by_mutation(scored: list[tuple[Case, float]], threshold: float) -> str:
    """Recall per mutation at ``threshold`` (a case with two mutations counts for both)."""
    scores: dict[str, list[float]] = defaultdict(list)
    for case, score in scored:
        if case.positive:
            for mutation in case.mutations.split("+"):
                scores[mutation].append(score)
    return ", ".join(
        f"{name} {sum(s >= threshold for s in values) / len(values):.3f} ({len(values)})"
        for name, values in sorted(scores.items())
    )


def single_mutation(scored: list[tuple[Case, float]], threshold: float) -> str:
    """Recall per mutation at ``threshold`` over the cases with one mutation (an alias as the
    source does not count as one), and over all of them."""
    scores: dict[str, list[float]] = defaultdict(list)
    for case, score in scored:
        mutations = [m for m in case.mutations.split("+") if m != "alias"]
        if case.positive and len(mutations) == 1:
            scores[mutations[0]].append(score)
    every = [score for values in scores.values() for score in values]
    parts = [
        f"{name} {sum(s >= threshold for s in values) / len(values):.3f} ({len(values)})"
        for name, values in sorted(scores.items())
    ]
    parts.append(f"all {sum(s >= threshold for s in every) / max(len(every), 1):.3f}")
    return ", ".join(parts)


def report(
    title: str,
    scored: list[tuple[Case, float]],
    review: float,
    hit: float,
    sweep: bool,
    strict: float,
) -> None:
    print(
        f"\n== {title}: {sum(c.positive for c, _ in scored)} positives, "
        f"{sum(not c.positive for c, _ in scored)} negatives"
    )
    if sweep:
        print("threshold  recall   FPR      precision")
        for threshold in THRESHOLDS:
            recall, fpr, precision = rates(scored, threshold)
            marker = " <- review" if threshold == review else " <- hit" if threshold == hit else ""
            print(f"  {threshold:.2f}    {recall:.4f}  {fpr:.4f}   {precision:.4f}{marker}")
    for label, threshold in (("review", review), ("strict", strict), ("hit", hit)):
        recall, fpr, precision = rates(scored, threshold)
        print(
            f"at {label} threshold {threshold:.2f}: recall {recall:.4f}  FPR {fpr:.4f}  "
            f"precision {precision:.4f}"
        )
    print(f"recall at review threshold by mutation: {by_mutation(scored, review)}")
    print(f"recall at strict threshold by mutation: {by_mutation(scored, strict)}")
    print(f"single-mutation cases at the strict threshold: {single_mutation(scored, strict)}")


def show_errors(scored: list[tuple[Case, float]], review: float, count: int) -> None:
    misses = sorted(
        ((s, c) for c, s in scored if c.positive and s < review), key=lambda item: item[0]
    )[:count]
    false = sorted(
        ((s, c) for c, s in scored if not c.positive and s >= review),
        key=lambda item: -item[0],
    )
    print(f"\nmisses (target below {review:.2f}), lowest first:")
    for score, case in misses:
        print(f"  {score:.3f} {case.query!r} <- {case.source!r} [{case.mutations}]")
    print("false positives, highest first:")
    for score, case in false[:count]:
        print(f"  {score:.3f} {case.query!r} [{case.kind}]")


def baseline(
    entries: list[ListEntry], cases: list[Case], sample: int
) -> tuple[float, float, float, int, int]:
    """Plain ``rapidfuzz.fuzz.WRatio >= 90`` over every listed name (default processor)."""
    names = [name for entry in entries for name in entry.all_names()]
    by_entry = {entry.source_id: entry.all_names() for entry in entries}
    positives = [case for case in cases if case.positive][:sample]
    negatives = [case for case in cases if not case.positive][:sample]
    found = sum(
        max(
            fuzz.WRatio(case.query, name, processor=utils.default_process)
            for name in by_entry[case.target]
        )
        >= 90
        for case in positives
    )
    started = time.perf_counter()
    false = 0
    for case in negatives:
        best = process.extractOne(
            case.query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=90,
        )
        false += best is not None
    per_name = (time.perf_counter() - started) / max(len(negatives), 1)
    return found / len(positives), false / len(negatives), per_name, len(positives), len(negatives)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    parser.add_argument("--name-only", action="store_true", help="do not pass the entity type")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=1500,
        help="positives and negatives each for the WRatio baseline (0 = skip)",
    )
    parser.add_argument("--errors", type=int, default=25, help="misses and FPs to print")
    parser.add_argument("--positives", type=int, default=3000)
    parser.add_argument("--negatives", type=int, default=20000)
    parser.add_argument(
        "--drop-words",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include the drop_word mutation of company names (default: yes)",
    )
    parser.add_argument(
        "--tuning-only", action="store_true", help="screen the tuning seed only (faster)"
    )
    arguments = parser.parse_args()
    entries = load_ofac(arguments.data)
    started = time.perf_counter()
    index = ScreeningIndex.build(entries)
    print(f"index built in {time.perf_counter() - started:.1f} s")
    known = listed_keys(entries)
    results = {}
    seeds = (TUNING_SEED,) if arguments.tuning_only else (TUNING_SEED, HELD_OUT_SEED)
    for seed in seeds:
        cases, stats = generate(
            entries,
            seed=seed,
            positives=arguments.positives,
            negatives=arguments.negatives,
            known=known,
            drop_words=arguments.drop_words,
        )
        left_out = stats.get("negative left out as a listed namesake", 0)
        started = time.perf_counter()
        results[seed] = (cases, screen(index, cases, arguments.name_only))
        elapsed = time.perf_counter() - started
        print(
            f"seed {seed}: {len(cases)} queries screened in {elapsed:.1f} s "
            f"({1000 * elapsed / len(cases):.2f} ms each); {left_out} namesake negatives "
            "left out"
        )
    tuning = results[TUNING_SEED][1]
    review = choose(tuning, REVIEW_FPR)
    hit = max(choose(tuning, HIT_FPR), review)
    strict = max(choose(tuning, STRICT_FPR), review)
    mode = "name only" if arguments.name_only else "with entity type"
    report(f"tuning set, seed {TUNING_SEED} ({mode})", tuning, review, hit, True, strict)
    if not arguments.tuning_only:
        report(
            f"held-out set, seed {HELD_OUT_SEED} ({mode})",
            results[HELD_OUT_SEED][1],
            review,
            hit,
            False,
            strict,
        )
    show_errors(results[seeds[-1]][1], strict, arguments.errors)
    if arguments.baseline_sample:
        for seed in seeds:
            recall, fpr, per_name, n_pos, n_neg = baseline(
                entries, results[seed][0], arguments.baseline_sample
            )
            print(
                f"\nbaseline rapidfuzz WRatio>=90, seed {seed} ({n_pos} positives, {n_neg} "
                f"negatives): recall {recall:.4f}  FPR {fpr:.4f}  "
                f"{1000 * per_name:.1f} ms per name"
            )


if __name__ == "__main__":
    main()
