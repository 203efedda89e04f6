"""Taking a module's quiz: scoring an attempt and recording a completion when it passes."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from education.events import AuditAction
from education.models import Completion, Module, QuizAttempt
from education.services.common import EducationError, QuizOutdated
from shippers.models import Membership


def _certificate_number(completed_at: datetime.datetime) -> str:
    while True:
        number = f"{settings.PROGRAM_COUNTRY}-TRN-{completed_at:%Y}-{secrets.token_hex(4).upper()}"
        if not Completion.objects.filter(certificate_number=number).exists():
            return number


def _organisation_of(user: User) -> int | None:
    """The organisation the user's training counts for, when they belong to exactly one."""
    ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def _score(module: Module, answers: Mapping[str, Any]) -> tuple[dict[str, int], list[Any], int]:
    """The chosen choice ids, the per-question results and the number right; a
    ValidationError naming each unanswered question."""
    questions = list(module.questions.prefetch_related("choices"))
    if not questions:
        raise EducationError("This module has no quiz yet.")
    errors: dict[str, str] = {}
    results = []
    correct_count = 0
    clean_answers: dict[str, int] = {}
    for question in questions:
        choices = list(question.choices.all())
        raw = answers.get(str(question.pk))
        chosen = next((c for c in choices if str(c.pk) == str(raw)), None)
        if chosen is None:
            errors[f"question_{question.pk}"] = "Choose an answer."
            continue
        right = next((c for c in choices if c.is_correct), None)
        correct_count += int(chosen.is_correct)
        clean_answers[str(question.pk)] = chosen.pk
        results.append(
            {
                "question": question.text,
                "chosen": chosen.text,
                "correct_answer": right.text if right else "",
                "is_correct": chosen.is_correct,
                "explanation": question.explanation,
            }
        )
    if errors:
        raise ValidationError(errors)
    return clean_answers, results, correct_count


def quiz_attempt_submit(
    *,
    user: User,
    module: Module,
    version: int,
    answers: Mapping[str, Any],
    started_at: datetime.datetime | None = None,
) -> QuizAttempt:
    """Score a quiz. ``answers`` maps question ids to choice ids. The attempt is stored
    whatever the score; passing also records a completion of this module version (once per
    user and version; retakes after passing are allowed and stored as attempts).

    The audit event is about the user's organisation (when they belong to exactly one): a
    completion (`module.complete`) is visible to its members, since it counts towards the
    organisation's required training; an attempt without one (`quiz.submit`) is staff-only.
    """
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in to take a quiz.")
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        if not locked.published:
            raise EducationError("This module is not available.")
        if version != locked.version:
            raise QuizOutdated(
                "This quiz was updated while you were answering it. Please answer the "
                "current questions."
            )
        clean_answers, results, correct_count = _score(locked, answers)
        total = len(results)
        attempt = QuizAttempt.objects.create(
            user=user,
            module=locked,
            module_version=locked.version,
            answers=clean_answers,
            results=results,
            correct_count=correct_count,
            question_count=total,
            score=(100 * correct_count) // total,
            passed=correct_count * 100 >= locked.pass_mark * total,
            started_at=started_at,
        )
        completion = None
        if attempt.passed and not (
            Completion.objects.filter(user=user, module=locked, version=locked.version).exists()
        ):
            completion = Completion.objects.create(
                user=user,
                module=locked,
                version=locked.version,
                completed_at=attempt.submitted_at,
                attempt=attempt,
                certificate_number=_certificate_number(attempt.submitted_at),
            )
        detail: dict[str, Any] = {
            "module": locked.slug,
            "version": locked.version,
            "attempt": attempt.pk,
            "score": attempt.score,
            "passed": attempt.passed,
        }
        if completion is not None:
            detail["certificate_number"] = completion.certificate_number
        audit_record(
            action=AuditAction.QUIZ_SUBMIT if completion is None else AuditAction.MODULE_COMPLETE,
            target=completion if completion is not None else attempt,
            target_label=f"{locked.title} v{locked.version}",
            actor=user,
            organisation_id=_organisation_of(user),
            detail=detail,
            internal=completion is None,
        )
    return attempt
