"""Versions of the security questionnaire. A version any application uses is frozen
(changing a question would change what earlier answers mean); a revision is a new version,
made current when ready."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import diff
from shippers.events import AuditAction, record
from shippers.models import SecurityQuestion, SecurityQuestionnaire
from shippers.reference_data import load_security_questionnaire

QUESTIONNAIRE_FIELDS = ("version", "title", "source", "minimum_must_score")


def questionnaire_in_use(questionnaire: SecurityQuestionnaire) -> bool:
    """A version that any application uses (answered or being answered) is frozen."""
    return questionnaire.applications.exists()


def questionnaire_can_change(questionnaire: SecurityQuestionnaire | None) -> bool:
    """Whether a version (or its questions) may still be edited; a new one always may."""
    return (
        questionnaire is None or questionnaire.pk is None or not questionnaire_in_use(questionnaire)
    )


def questionnaire_can_delete(questionnaire: SecurityQuestionnaire) -> bool:
    return not questionnaire.is_current and questionnaire_can_change(questionnaire)


def questionnaire_save(
    *, actor: User, questionnaire: SecurityQuestionnaire, changed: Mapping[str, Any] | None = None
) -> SecurityQuestionnaire:
    """Create a version (never current at first) or edit one no application uses yet."""
    creating = questionnaire.pk is None
    permission = "add" if creating else "change"
    if not actor.has_perm(f"shippers.{permission}_securityquestionnaire"):
        raise PermissionDenied("Only supervisors can change the security questionnaire.")
    with transaction.atomic():
        if not creating:
            locked = SecurityQuestionnaire.objects.select_for_update().get(pk=questionnaire.pk)
            if not questionnaire_can_change(locked):
                raise ValidationError(
                    f"Version {locked.version} is used by applications and cannot be changed; "
                    "create a new version from it instead."
                )
        else:
            questionnaire.created_by = actor
            questionnaire.is_current = False
        questionnaire.save()
        after = {name: getattr(questionnaire, name) for name in QUESTIONNAIRE_FIELDS}
        record(
            AuditAction.QUESTIONNAIRE_CREATE_VERSION
            if creating
            else AuditAction.QUESTIONNAIRE_EDIT,
            target=questionnaire,
            organisation_id=None,
            actor=actor,
            changes=diff({}, after) if creating else dict(changed or {}),
            internal=True,
        )
    return questionnaire


def questionnaire_new_version(
    *, actor: User, questionnaire: SecurityQuestionnaire
) -> SecurityQuestionnaire:
    """A new, not yet current version with the same questions, for a supervisor to revise.
    Applications keep the version they answered."""
    if not actor.has_perm("shippers.add_securityquestionnaire"):
        raise PermissionDenied("Only supervisors can make new questionnaire versions.")
    with transaction.atomic():
        # Lock the newest version: two supervisors copying at once get consecutive numbers.
        newest = SecurityQuestionnaire.objects.select_for_update().order_by("-version").first()
        version = (newest.version if newest else 0) + 1
        copy = SecurityQuestionnaire.objects.create(
            version=version,
            title=questionnaire.title,
            source=questionnaire.source,
            minimum_must_score=questionnaire.minimum_must_score,
            is_current=False,
            created_by=actor,
        )
        SecurityQuestion.objects.bulk_create(
            SecurityQuestion(
                questionnaire=copy,
                area_code=question.area_code,
                area_name=question.area_name,
                code=question.code,
                text=question.text,
                help=question.help,
                requirement=question.requirement,
                weight=question.weight,
                allow_not_applicable=question.allow_not_applicable,
                order=question.order,
            )
            for question in questionnaire.questions.order_by("order", "pk")
        )
        record(
            AuditAction.QUESTIONNAIRE_CREATE_VERSION,
            target=copy,
            organisation_id=None,
            actor=actor,
            changes={"version": {"before": None, "after": version}},
            detail={"copied_from": questionnaire.version},
            internal=True,
        )
    return copy


def questionnaire_add_optional_areas(
    *, actor: User, questionnaire: SecurityQuestionnaire, area_codes: Sequence[str]
) -> SecurityQuestionnaire:
    """Switch on optional areas of the reviewed questionnaire data (the EU AEO criteria of
    UCC Art. 39(b)-(d) for partners under mutual recognition): a new, not yet current
    version with the same questions plus those areas' questions, for a supervisor to make
    current. Applications keep the version they answered."""
    data = load_security_questionnaire()
    codes = list(dict.fromkeys(area_codes))
    unknown = [code for code in codes if code not in {a.code for a in data.optional_areas}]
    if not codes or unknown:
        choices = ", ".join(area.code for area in data.optional_areas)
        raise ValidationError(
            {"area_codes": f"Choose optional areas among: {choices}."}
            if not unknown
            else {"area_codes": f"No optional area {', '.join(unknown)}; choose among {choices}."}
        )
    present = set(questionnaire.questions.values_list("area_code", flat=True))
    already = [code for code in codes if code in present]
    if already:
        raise ValidationError(
            {"area_codes": f"Version {questionnaire.version} already has {', '.join(already)}."}
        )
    with transaction.atomic():
        copy = questionnaire_new_version(actor=actor, questionnaire=questionnaire)
        order = max(questionnaire.questions.values_list("order", flat=True), default=0)
        added = []
        for code in codes:
            area = data.optional_area(code)
            for question in area.questions:
                order += 1
                added.append(
                    SecurityQuestion(
                        questionnaire=copy,
                        area_code=area.code,
                        area_name=area.name,
                        code=question.code,
                        text=question.text,
                        help=question.help,
                        requirement=str(question.requirement),
                        weight=question.weight,
                        allow_not_applicable=question.allow_not_applicable,
                        order=order,
                    )
                )
        SecurityQuestion.objects.bulk_create(added)
        record(
            AuditAction.QUESTIONNAIRE_EDIT,
            target=copy,
            organisation_id=None,
            actor=actor,
            detail={
                "optional_areas": codes,
                "legal_basis": [data.optional_area(code).legal_basis for code in codes],
                "questions_added": len(added),
            },
            internal=True,
        )
    return copy


def questionnaire_make_current(
    *, actor: User, questionnaire: SecurityQuestionnaire
) -> SecurityQuestionnaire:
    """Make this version the one new applications answer; exactly one is current. Who made
    it current, and when, is recorded on the version."""
    if not actor.has_perm("shippers.change_securityquestionnaire"):
        raise PermissionDenied("Only supervisors can change the current questionnaire.")
    with transaction.atomic():
        versions = list(SecurityQuestionnaire.objects.select_for_update().order_by("pk"))
        if not any(v.pk == questionnaire.pk for v in versions):
            raise ValidationError("This questionnaire no longer exists.")
        if not SecurityQuestion.objects.filter(questionnaire=questionnaire).exists():
            raise ValidationError("A questionnaire without questions cannot be made current.")
        previous = next((v.version for v in versions if v.is_current), None)
        SecurityQuestionnaire.objects.filter(is_current=True).exclude(pk=questionnaire.pk).update(
            is_current=False
        )
        SecurityQuestionnaire.objects.filter(pk=questionnaire.pk).update(
            is_current=True, made_current_at=timezone.now(), made_current_by=actor
        )
        record(
            AuditAction.QUESTIONNAIRE_MAKE_CURRENT,
            target=questionnaire,
            organisation_id=None,
            actor=actor,
            changes={"current_version": {"before": previous, "after": questionnaire.version}},
            internal=True,
        )
    questionnaire.refresh_from_db()
    return questionnaire
