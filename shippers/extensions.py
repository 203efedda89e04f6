"""Hooks that apps above shippers fill in their `AppConfig.ready()` (shippers imports none
of them): extra fields of the verify answer, and questionnaire areas an applicant need not
answer (the partners app: an authorisation recognised under a mutual recognition
arrangement covers them).

With nothing registered, every function here is the identity: the verify answer has its
own fields and every question is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shippers.models import Application, Certificate, SecurityQuestion

VerificationExtra = Callable[["Certificate"], dict[str, object]]
# Area code -> why the applicant need not answer it (shown to the applicant and officers).
QuestionExemption = Callable[["Application"], dict[str, str]]

_VERIFICATION_EXTRAS: list[VerificationExtra] = []
_QUESTION_EXEMPTIONS: list[QuestionExemption] = []


def register_verification_extra(extra: VerificationExtra) -> None:
    if extra not in _VERIFICATION_EXTRAS:
        _VERIFICATION_EXTRAS.append(extra)


def register_question_exemption(exemption: QuestionExemption) -> None:
    if exemption not in _QUESTION_EXEMPTIONS:
        _QUESTION_EXEMPTIONS.append(exemption)


def verification_extras(certificate: Certificate) -> dict[str, object]:
    fields: dict[str, object] = {}
    for extra in _VERIFICATION_EXTRAS:
        fields.update(extra(certificate))
    return fields


def exempt_areas(application: Application) -> dict[str, str]:
    areas: dict[str, str] = {}
    for exemption in _QUESTION_EXEMPTIONS:
        areas.update(exemption(application))
    return areas


def questions_to_answer(application: Application) -> list[SecurityQuestion]:
    """The questionnaire's questions less those of exempt areas."""
    exempt = exempt_areas(application)
    return [q for q in application.questionnaire.questions.all() if q.area_code not in exempt]
