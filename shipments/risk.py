"""Where filing meets targeting.

Filing calls `assess(facts_list)` for the shipments it is about to store (new and amended),
which calls `shipments.targeting.evaluate_batch(facts_list)`: one answer per fact, in
order, each with `level`, `decision`, `score` and `reasons` (attributes or keys; see
`shipments.facts.RiskAssessment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shipments.facts import RiskAssessment, ShipmentFacts
from shipments.targeting import evaluate_batch


def _field(answer: Any, name: str, default: Any) -> Any:
    if isinstance(answer, dict):
        return answer.get(name, default)
    return getattr(answer, name, default)


def assess(facts_list: Sequence[ShipmentFacts]) -> list[RiskAssessment]:
    if not facts_list:
        return []
    answers = list(evaluate_batch(facts_list))
    if len(answers) != len(facts_list):
        raise RuntimeError("Targeting returned a different number of answers than facts.")
    if all(type(answer) is dict for answer in answers):
        return [
            RiskAssessment(
                level=answer["level"],
                decision=answer["decision"],
                score=float(answer["score"]),
                reasons=answer["reasons"],
            )
            for answer in answers
        ]
    return [
        RiskAssessment(
            level=str(_field(answer, "level", "pending")),
            decision=str(_field(answer, "decision", "pending")),
            score=float(_field(answer, "score", 0.0)),
            reasons=list(_field(answer, "reasons", [])),
        )
        for answer in answers
    ]
