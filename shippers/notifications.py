"""E-mail to shippers and officers, rendered from templates (text and HTML).

Called after commit by the services; sending goes through the outbound queue (Celery).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from shippers.events import kind_of
from shippers.models import (
    Application,
    Certificate,
    Invitation,
    Organisation,
    RequestForInformation,
)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(template: str, subject: str, recipients: list[str], context: dict[str, Any]) -> None:
    if not recipients:
        return
    context = {**context, "program_name": settings.PROGRAM_NAME, "site_url": settings.SITE_URL}
    text = render_to_string(f"shippers/email/{template}.txt", context)
    html = render_to_string(f"shippers/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{settings.PROGRAM_NAME}] {subject}", body=text, to=recipients
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _member_emails(organisation: Organisation) -> list[str]:
    return sorted(organisation.memberships.values_list("user__email", flat=True))


def _officer_emails(assigned_email: str | None) -> list[str]:
    if assigned_email:
        return [assigned_email]
    return sorted(set(User.objects.officers().values_list("email", flat=True)))


def status_changed(*, event_id: int) -> None:
    event = AuditEvent.objects.get(pk=event_id)
    application = Application.objects.select_related("organisation").get(pk=event.target_id)
    link = _absolute(reverse("shippers:application", args=[application.pk]))
    _send(
        "status_changed",
        f"Application {application.reference}: {application.get_status_display().lower()}",
        _member_emails(application.organisation),
        {"event": event, "kind": kind_of(event), "application": application, "link": link},
    )


def invitation_sent(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    link = _absolute(reverse("shippers:invitation_accept", args=[invitation.token]))
    _send(
        "invitation",
        f"You are invited to act for {invitation.organisation.legal_name}",
        [invitation.email],
        {"invitation": invitation, "link": link},
    )


def rfi_answered(*, request_id: int) -> None:
    request = RequestForInformation.objects.select_related(
        "application__organisation", "application__assigned_officer"
    ).get(pk=request_id)
    officer = request.application.assigned_officer
    link = _absolute(reverse("admin:shippers_application_change", args=[request.application.pk]))
    _send(
        "rfi_answered",
        f"{request.application.reference}: the applicant answered your request",
        _officer_emails(officer.email if officer else None),
        {"request": request, "application": request.application, "link": link},
    )


def rfi_overdue(*, request_id: int) -> None:
    request = RequestForInformation.objects.select_related("application__organisation").get(
        pk=request_id
    )
    link = _absolute(reverse("shippers:rfi_answer", args=[request.pk]))
    _send(
        "rfi_overdue",
        f"{request.application.reference}: a request for information is overdue",
        _member_emails(request.application.organisation),
        {"request": request, "application": request.application, "link": link},
    )


def certificate_expiring(*, certificate_id: int, days: int) -> None:
    certificate = Certificate.objects.select_related("organisation").get(pk=certificate_id)
    link = _absolute(reverse("shippers:certificate", args=[certificate.number]))
    _send(
        "certificate_expiring",
        f"Certificate {certificate.number} expires in {days} days",
        _member_emails(certificate.organisation),
        {"certificate": certificate, "days": days, "link": link},
    )


def vetting_alert(*, run_id: int) -> None:
    """Tell the assigned officer (or all officers) what a re-screening or re-vetting found."""
    from shippers.models import VettingRun

    run = VettingRun.objects.select_related(
        "application__organisation", "application__assigned_officer", "list_version"
    ).get(pk=run_id)
    application = run.application
    officer = application.assigned_officer
    link = _absolute(reverse("admin:shippers_application_change", args=[application.pk]))
    _send(
        "vetting_alert",
        f"{application.reference}: {run.get_reason_display().lower()} needs your attention",
        _officer_emails(officer.email if officer else None),
        {
            "run": run,
            "application": application,
            "checks": [check for check in run.checks.all() if check.status != "passed"],
            "link": link,
        },
    )
