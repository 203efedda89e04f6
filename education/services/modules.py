"""Writing training modules: their articles, their versioned quiz, and the modules each
business type must complete. Each service writes its change and one audit event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record, diff
from core.reference.business_types import BusinessType
from education.events import AuditAction
from education.models import (
    Article,
    Choice,
    Module,
    ModuleArticle,
    ModuleVersion,
    Question,
    RequiredModule,
)
from education.services.common import require_permission


@dataclass(frozen=True)
class ChoiceData:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionData:
    text: str
    explanation: str
    choices: Sequence[ChoiceData] = field(default_factory=tuple)


def _quiz_snapshot(module: Module) -> dict[str, Any]:
    return {
        "pass_mark": module.pass_mark,
        "questions": [
            {
                "text": question.text,
                "explanation": question.explanation,
                "choices": [
                    {"text": choice.text, "correct": choice.is_correct}
                    for choice in question.choices.all()
                ],
            }
            for question in module.questions.prefetch_related("choices")
        ],
    }


def quiz_fingerprint(snapshot: Mapping[str, Any]) -> str:
    """What makes a quiz version: the pass mark, the questions, their choices and which is
    correct, in order. Explanations are not part of it (rewording one does not make earlier
    completions stale)."""
    essential = {
        "pass_mark": snapshot["pass_mark"],
        "questions": [
            {"text": question["text"], "choices": question["choices"]}
            for question in snapshot["questions"]
        ],
    }
    return hashlib.sha256(json.dumps(essential, sort_keys=True).encode()).hexdigest()


def _questions_snapshot(pass_mark: int, questions: Sequence[QuestionData]) -> dict[str, Any]:
    return {
        "pass_mark": pass_mark,
        "questions": [
            {
                "text": question.text,
                "explanation": question.explanation,
                "choices": [
                    {"text": choice.text, "correct": choice.correct} for choice in question.choices
                ],
            }
            for question in questions
        ],
    }


def _validate_questions(questions: Sequence[QuestionData]) -> None:
    for index, question in enumerate(questions, start=1):
        if len(question.choices) < 2:
            raise ValidationError(f"Question {index} needs at least two choices.")
        if sum(1 for choice in question.choices if choice.correct) != 1:
            raise ValidationError(f"Question {index} needs exactly one correct choice.")


def _audit(
    *,
    module: Module,
    action: AuditAction,
    actor: User | None,
    changes: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    audit_record(
        action=action,
        target=module,
        target_label=module.title,
        actor=actor,
        changes=changes,
        detail=detail,
        internal=True,
    )


def _record_version(locked: Module, actor: User | None) -> AuditAction | None:
    """Record the locked module's quiz as it is now: a new version if it differs from the
    latest recorded one (MODULE_NEW_VERSION), the reworded explanations if only they differ
    (MODULE_EDIT_EXPLANATIONS), nothing (None) if it is the same."""
    snapshot = _quiz_snapshot(locked)
    fingerprint = quiz_fingerprint(snapshot)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == fingerprint:
        if latest.snapshot == snapshot:
            return None
        latest.snapshot = snapshot
        latest.save(update_fields=["snapshot"])
        return AuditAction.MODULE_EDIT_EXPLANATIONS
    number = latest.number + 1 if latest is not None else locked.version
    locked.version = number
    locked.save(update_fields=["version"])
    ModuleVersion.objects.create(
        module=locked, number=number, created_by=actor, fingerprint=fingerprint, snapshot=snapshot
    )
    return AuditAction.MODULE_NEW_VERSION


def module_refresh_version(*, module: Module, actor: User | None) -> Module:
    """Record the quiz as it is now. If its questions, choices, correct answers or pass mark
    differ from the latest recorded version, the module gets the next version number;
    completions of earlier versions stay as they were."""
    require_permission(actor, "education.change_module")
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        before = locked.versions.order_by("-number").values_list("number", flat=True).first()
        action = _record_version(locked, actor)
        if action is not None:
            _audit(
                module=locked,
                action=action,
                actor=actor,
                changes=diff({"version": before}, {"version": locked.version}),
            )
    return locked


def _replace_questions(locked: Module, questions: Sequence[QuestionData]) -> bool:
    """Make the locked module's questions these ones; False if they already were."""
    if _quiz_snapshot(locked) == _questions_snapshot(locked.pass_mark, questions):
        return False
    locked.questions.all().delete()
    for position, data in enumerate(questions, start=1):
        question = Question.objects.create(
            module=locked, position=position, text=data.text, explanation=data.explanation
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=index, text=choice.text, is_correct=choice.correct)
            for index, choice in enumerate(data.choices, start=1)
        )
    return True


def module_set_questions(
    *, module: Module, actor: User | None, questions: Sequence[QuestionData]
) -> Module:
    """Replace the quiz's questions (a new version if they differ from the current ones)."""
    require_permission(actor, "education.change_module")
    _validate_questions(questions)
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        before = locked.version
        if not _replace_questions(locked, questions):
            return locked
        _record_version(locked, actor)
        _audit(
            module=locked,
            action=AuditAction.MODULE_SET_QUESTIONS,
            actor=actor,
            changes=diff({"version": before}, {"version": locked.version}),
            detail={"questions": len(questions)},
        )
        return locked


def _module_snapshot(module: Module) -> dict[str, Any]:
    return {
        "slug": module.slug,
        "title": module.title,
        "summary": module.summary,
        "pass_mark": module.pass_mark,
        "published": module.published,
        "version": module.version,
        "articles": list(
            module.module_articles.order_by("position").values_list("article__slug", flat=True)
        ),
    }


def module_save(
    *,
    actor: User | None,
    slug: str,
    title: str,
    summary: str,
    pass_mark: int,
    articles: Sequence[Article],
    questions: Sequence[QuestionData],
    published: bool = True,
    module: Module | None = None,
) -> Module:
    """Create a module or update one, with its ordered articles and its quiz."""
    require_permission(actor, "education.change_module" if module else "education.add_module")
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": "The pass mark is a percentage from 1 to 100."})
    _validate_questions(questions)
    with transaction.atomic():
        if module is None:
            locked = Module(slug=slug)
            before: dict[str, Any] = {}
        else:
            locked = Module.objects.select_for_update().get(pk=module.pk)
            before = _module_snapshot(locked)
        locked.slug = slug
        locked.title = title.strip()
        locked.summary = summary.strip()
        locked.pass_mark = pass_mark
        locked.published = published
        locked.full_clean()
        locked.save()
        if [item.article_id for item in locked.module_articles.all()] != [a.pk for a in articles]:
            locked.module_articles.all().delete()
            ModuleArticle.objects.bulk_create(
                ModuleArticle(module=locked, article=article, position=position)
                for position, article in enumerate(articles, start=1)
            )
        _replace_questions(locked, questions)
        _record_version(locked, actor)
        changes = diff(before, _module_snapshot(locked))
        if changes:
            _audit(
                module=locked,
                action=AuditAction.MODULE_EDIT if before else AuditAction.MODULE_CREATE,
                actor=actor,
                changes=changes,
                detail={"questions": len(questions)},
            )
        return locked


def module_save_details(
    *,
    actor: User | None,
    module: Module | None,
    slug: str,
    title: str,
    summary: str,
    pass_mark: int,
    published: bool,
) -> Module:
    """Create a module, or change its title, slug, summary, pass mark or publication, leaving
    its articles and quiz as they are (the admin edits those in place; a changed pass mark
    makes a new quiz version when `module_refresh_version` records it)."""
    require_permission(actor, "education.change_module" if module else "education.add_module")
    with transaction.atomic():
        if module is None or module.pk is None:
            locked = Module()
            before: dict[str, Any] = {}
        else:
            locked = Module.objects.select_for_update().get(pk=module.pk)
            before = _module_snapshot(locked)
        locked.slug = slug
        locked.title = title.strip()
        locked.summary = summary.strip()
        locked.pass_mark = pass_mark
        locked.published = published
        locked.full_clean()
        locked.save()
        changes = diff(before, _module_snapshot(locked))
        if changes:
            _audit(
                module=locked,
                action=AuditAction.MODULE_EDIT if before else AuditAction.MODULE_CREATE,
                actor=actor,
                changes=changes,
            )
    return locked


def required_module_designate(
    *, actor: User | None, module: Module, business_type: str
) -> RequiredModule:
    """Make a module required for applicants of one business type (idempotent)."""
    require_permission(actor, "education.add_requiredmodule")
    if business_type not in {member.value for member in BusinessType}:
        raise ValidationError({"business_type": f"Unknown business type {business_type!r}."})
    with transaction.atomic():
        requirement, created = RequiredModule.objects.get_or_create(
            module=module, business_type=business_type, defaults={"designated_by": actor}
        )
        if created:
            _audit(
                module=module,
                action=AuditAction.MODULE_REQUIRE,
                actor=actor,
                detail={"business_type": business_type},
            )
    return requirement


def required_module_remove(*, actor: User | None, requirement: RequiredModule) -> None:
    require_permission(actor, "education.delete_requiredmodule")
    with transaction.atomic():
        module = requirement.module
        business_type = requirement.business_type
        requirement.delete()
        _audit(
            module=module,
            action=AuditAction.MODULE_UNREQUIRE,
            actor=actor,
            detail={"business_type": business_type},
        )
