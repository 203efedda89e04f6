"""Security profile: the weighted share of the questionnaire's "must" criteria met, against
the questionnaire's minimum."""

from __future__ import annotations

from typing import Any

from shippers import extensions
from shippers.models import Application, SecurityAnswer, SecurityQuestion, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "security_profile"


def check_security_profile(application: Application) -> Outcome:
    questionnaire = application.questionnaire
    questions = list(questionnaire.questions.all())
    answers = {
        answer.question_id: answer
        for answer in SecurityAnswer.objects.filter(application=application)
    }
    # Areas a recognised authorisation covers (shippers.extensions) are not asked or scored.
    exempt = extensions.exempt_areas(application)
    questions = [question for question in questions if question.area_code not in exempt]
    must_total = must_met = should_total = should_met = 0
    unmet_must: list[dict[str, Any]] = []
    unanswered: list[str] = []
    for question in questions:
        answer = answers.get(question.pk)
        met = answer is not None and (
            answer.answer == SecurityAnswer.Answer.YES
            or (
                answer.answer == SecurityAnswer.Answer.NOT_APPLICABLE
                and question.allow_not_applicable
            )
        )
        if answer is None:
            unanswered.append(question.code)
        if question.requirement == SecurityQuestion.Requirement.MUST:
            must_total += question.weight
            if met:
                must_met += question.weight
            else:
                unmet_must.append(
                    {
                        "code": question.code,
                        "area": question.area_name,
                        "question": question.text,
                        "answer": answer.get_answer_display() if answer else "not answered",
                        "explanation": answer.explanation if answer else "",
                    }
                )
        else:
            should_total += question.weight
            if met:
                should_met += question.weight
    must_score = round(100 * must_met / must_total, 1) if must_total else 100.0
    should_score = round(100 * should_met / should_total, 1) if should_total else 100.0
    minimum = questionnaire.minimum_must_score
    evidence = {
        "questionnaire": str(questionnaire),
        "must_score": must_score,
        "should_score": should_score,
        "minimum_must_score": minimum,
        "unmet_must": unmet_must,
        "unanswered": unanswered,
        **({"exempt_areas": exempt} if exempt else {}),
    }
    explanation = (
        "The must score is the weighted share of 'must' criteria answered yes (or not "
        "applicable where allowed); it must reach the questionnaire's minimum. The should "
        "score is reported for the officer's judgement."
    )
    if must_score < minimum:
        return Outcome(
            Status.FAILED,
            f"Must criteria {must_score:g}% met, below the minimum of {minimum}% "
            f"({len(unmet_must)} not met).",
            explanation,
            score=must_score / 100,
            evidence=evidence,
        )
    if unmet_must or should_score < 50:
        return Outcome(
            Status.FLAGGED,
            f"Must criteria {must_score:g}% met (minimum {minimum}%); should criteria "
            f"{should_score:g}%.",
            explanation,
            score=must_score / 100,
            evidence=evidence,
        )
    return Outcome(
        Status.PASSED,
        f"Must criteria {must_score:g}% met (minimum {minimum}%); should criteria "
        f"{should_score:g}%.",
        explanation,
        score=must_score / 100,
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND, label="Security profile", run=check_security_profile, order=50, remediable=True
)
