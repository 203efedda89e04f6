"""Explanations: a scored name becomes a :class:`Match` whose explanation says which words
matched and why, what the qualifiers changed, and one human sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from screening.engine.models import EntityType, ListEntry
from screening.engine.scoring import ListedName, NameScore, PreparedQuery

WEAK_ALIAS_PENALTY = 0.02


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


class TokenPair(NamedTuple):
    query_index: int
    listed_index: int
    similarity: float
    reason: str
    weight: float
    query_count: int = 1
    listed_count: int = 1


def explain_match(
    query: PreparedQuery,
    name: ListedName,
    entry: ListEntry,
    scored: NameScore,
    score: float,
    adjustments: list[dict[str, Any]],
) -> Match:
    listed_tokens = name.normalized.tokens
    query_tokens = query.normalized.tokens
    pairs = [TokenPair(*pair) for pair in scored.pairs]
    token_matches = [
        {
            "query": " ".join(
                t.text for t in query_tokens[pair.query_index : pair.query_index + pair.query_count]
            ),
            "listed": " ".join(
                t.text
                for t in listed_tokens[pair.listed_index : pair.listed_index + pair.listed_count]
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
    explanation["summary"] = summary_of(entry, name, scored, pairs, explanation)
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


def summary_of(
    entry: ListEntry,
    name: ListedName,
    scored: NameScore,
    pairs: list[TokenPair],
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
