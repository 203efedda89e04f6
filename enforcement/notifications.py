"""E-mail about penalty cases, sent after commit by the services: notices and decisions to
the respondent's members; the respondent's actions to the assigned officer (or, when none is
assigned, to every officer); approval requests to supervisors.

An unregistered party has no portal account: its notices are printed and sent by post, which
the officer records on the case.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.roles import OFFICER, SUPERVISOR
from core.models import AuditEvent
from enforcement.events import action_label
from enforcement.models import Case, Deadline, Notice, PenaltyNoticeApproval
from enforcement.templatetags.enforcement_money import format_money


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(subject: str, recipients: Sequence[str], paragraphs: Sequence[str], link: str) -> None:
    if not recipients:
        return
    context = {
        "paragraphs": list(paragraphs),
        "link": link,
        "program_name": settings.PROGRAM_NAME,
    }
    text = render_to_string("enforcement/email/message.txt", context)
    html = render_to_string("enforcement/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{settings.PROGRAM_NAME}] {subject}", body=text, to=sorted(set(recipients))
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _respondent_emails(case: Case) -> list[str]:
    if case.organisation is None:
        return []
    return list(case.organisation.memberships.values_list("user__email", flat=True))


def _officer_emails(case: Case) -> list[str]:
    if case.assigned_officer is not None:
        return [case.assigned_officer.email]
    users = get_user_model().objects.filter(groups__name__in=[OFFICER, SUPERVISOR], is_active=True)
    return list(users.values_list("email", flat=True).distinct())


def _supervisor_emails() -> list[str]:
    users = get_user_model().objects.filter(groups__name=SUPERVISOR, is_active=True)
    return list(users.values_list("email", flat=True).distinct())


def _portal_link(case: Case) -> str:
    return _absolute(reverse("enforcement:case", args=[case.pk]))


def _admin_link(case: Case) -> str:
    return _absolute(reverse("admin:enforcement_case_change", args=[case.pk]))


def _case(case_id: int) -> Case:
    return Case.objects.select_related("organisation", "assigned_officer").get(pk=case_id)


def notice_issued(*, notice_id: int) -> None:
    notice = Notice.objects.select_related("case").get(pk=notice_id)
    case = _case(notice.case_id)
    deadlines = case.deadlines.open()
    paragraphs = [
        f"A {notice.get_kind_display().lower()} ({notice.reference}) was issued on penalty case "
        f"{case.number} against {case.respondent_name}.",
        "Read it in the portal, where you can print it, see the case's timeline and answer.",
    ]
    paragraphs.extend(
        f"{deadline.get_kind_display()}: due by {deadline.due_on:%-d %B %Y} ({deadline.rule})."
        for deadline in deadlines
    )
    _send(
        f"Case {case.number}: {notice.get_kind_display().lower()}",
        _respondent_emails(case),
        paragraphs,
        _portal_link(case),
    )


def case_status_changed(*, event_id: int) -> None:
    """Withdrawal, cancellation, payment, closure, referral: tell a respondent who was sent a
    notice."""
    event = AuditEvent.objects.get(pk=event_id)
    case = _case(int(event.target_id))
    if case.first_notice_at is None:
        return
    paragraphs = [f"Penalty case {case.number} is now: {case.get_status_display().lower()}."]
    if event.reason:
        paragraphs.append(f"Reason: {event.reason}")
    _send(
        f"Case {case.number}: {case.get_status_display().lower()}",
        _respondent_emails(case),
        paragraphs,
        _portal_link(case),
    )


def respondent_acted(*, event_id: int) -> None:
    event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    case = _case(int(event.target_id))
    who = event.actor.email if event.actor else "The respondent"
    what = action_label(event.action)
    _send(
        f"{case.number}: {what.lower()} by the respondent",
        _officer_emails(case),
        [
            f"{what} on case {case.number} by {who} ({case.respondent_name}).",
            *([f"Detail: {event.reason}"] if event.reason else []),
        ],
        _admin_link(case),
    )


def deadline_reminder(*, deadline_id: int) -> None:
    deadline = Deadline.objects.get(pk=deadline_id)
    case = _case(deadline.case_id)
    _send(
        f"Case {case.number}: {deadline.get_kind_display().lower()} "
        f"due {deadline.due_on:%-d %B %Y}",
        _respondent_emails(case),
        [
            f"Reminder: {deadline.get_kind_display().lower()} on penalty case {case.number} is "
            f"due by {deadline.due_on:%-d %B %Y}.",
            "After that date the portal cannot accept it; ask the officer for an extension "
            "before then if you need more time.",
        ],
        _portal_link(case),
    )


def deadline_overdue(*, deadline_id: int) -> None:
    deadline = Deadline.objects.get(pk=deadline_id)
    case = _case(deadline.case_id)
    if deadline.kind == Deadline.Kind.PREPENALTY_RESPONSE:
        # A reply is a right, not a duty: the period ends, nothing is "overdue".
        ended = f"The period to reply to the pre-penalty notice on case {case.number} ended"
        _send(
            f"{case.number}: reply period ended",
            _officer_emails(case),
            [
                f"{ended} on {deadline.due_on:%-d %B %Y}. Record the determination on the "
                "reply period (19 CFR 162.79) before any penalty notice."
            ],
            _admin_link(case),
        )
        _send(
            f"Case {case.number}: reply period ended",
            _respondent_emails(case),
            [f"{ended} on {deadline.due_on:%-d %B %Y}. The officer will now consider the case."],
            _portal_link(case),
        )
        return
    paragraphs = [
        f"{deadline.get_kind_display()} on penalty case {case.number} was due on "
        f"{deadline.due_on:%-d %B %Y} and is overdue."
    ]
    _send(f"{case.number}: overdue", _officer_emails(case), paragraphs, _admin_link(case))
    _send(
        f"Case {case.number}: overdue",
        _respondent_emails(case),
        paragraphs,
        _portal_link(case),
    )


def deadline_extended(*, deadline_id: int) -> None:
    deadline = Deadline.objects.get(pk=deadline_id)
    case = _case(deadline.case_id)
    _send(
        f"Case {case.number}: {deadline.get_kind_display().lower()} extended",
        _respondent_emails(case),
        [
            f"{deadline.get_kind_display()} on penalty case {case.number} is now due by "
            f"{deadline.due_on:%-d %B %Y}."
        ],
        _portal_link(case),
    )


def limitations_near(*, case_id: int) -> None:
    case = _case(case_id)
    _send(
        f"{case.number}: statute of limitations on {case.limitations_date:%-d %B %Y}",
        _officer_emails(case),
        [
            f"The statute of limitations (19 USC 1621) for case {case.number} runs out on "
            f"{case.limitations_date:%-d %B %Y}. Act before then or obtain a waiver.",
        ],
        _admin_link(case),
    )


def approval_requested(*, approval_id: int) -> None:
    approval = PenaltyNoticeApproval.objects.select_related("requested_by").get(pk=approval_id)
    case = _case(approval.case_id)
    _send(
        f"{case.number}: a penalty notice of {format_money(approval.amount, case.currency)} "
        "needs approval",
        [e for e in _supervisor_emails() if e != approval.requested_by.email],
        [
            f"{approval.requested_by.email} asks to issue a penalty notice of "
            f"{format_money(approval.amount, case.currency)} on case {case.number}.",
        ],
        _admin_link(case),
    )


def approval_decided(*, approval_id: int) -> None:
    approval = PenaltyNoticeApproval.objects.select_related("requested_by", "decided_by").get(
        pk=approval_id
    )
    case = _case(approval.case_id)
    paragraphs = [
        f"Your request to issue a penalty notice of {format_money(approval.amount, case.currency)}"
        f" on case {case.number} was {approval.get_status_display().lower()}."
    ]
    if approval.decision_reason:
        paragraphs.append(f"Reason: {approval.decision_reason}")
    _send(f"{case.number}: approval", [approval.requested_by.email], paragraphs, _admin_link(case))
