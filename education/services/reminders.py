"""Reminding content editors of published articles due for review."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import CONTENT_EDITOR
from core.audit import audit_record
from education.events import AuditAction
from education.models import ReviewReminder
from education.selectors import articles_due_for_review, review_interval_days


def review_reminders_send(*, today: datetime.date | None = None) -> list[ReviewReminder]:
    """E-mail content editors once per review cycle about published articles last reviewed
    more than `EDUCATION_REVIEW_INTERVAL_DAYS` ago. Running it again in the same cycle sends
    nothing; marking an article reviewed starts a new cycle. Each reminder is one audit
    event on its article's timeline."""
    today = today or timezone.localdate()
    recipients = sorted(
        User.objects.filter(groups__name=CONTENT_EDITOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return []
    created: list[ReviewReminder] = []
    with transaction.atomic():
        for article in articles_due_for_review(today=today).select_for_update(of=("self",)):
            reviewed_on = article.last_reviewed or (
                timezone.localdate(article.published_at)
                if article.published_at
                else article.created_at.date()
            )
            reminder, is_new = ReviewReminder.objects.get_or_create(
                article=article,
                reviewed_on=reviewed_on,
                defaults={"recipients": ", ".join(recipients)},
            )
            if not is_new:
                continue
            created.append(reminder)
            audit_record(
                action=AuditAction.ARTICLE_REVIEW_REMINDER,
                target=article,
                target_label=article.title,
                actor=None,
                reason=f"Last reviewed {reviewed_on.isoformat()}",
                detail={"recipients": len(recipients)},
                internal=True,
            )
        if created:
            lines = [
                f"- {reminder.article.title} (last reviewed {reminder.reviewed_on:%-d %B %Y}): "
                f"{settings.SITE_URL}/admin/education/article/{reminder.article.pk}/change/"
                for reminder in created
            ]
            send_mail(
                subject=(
                    f"[{settings.PROGRAM_NAME}] {len(created)} guidance article(s) due for review"
                ),
                message=(
                    "These published articles have not been reviewed for "
                    f"{review_interval_days()} days or more. Please check they are still "
                    "accurate and mark them as reviewed in the admin.\n\n" + "\n".join(lines)
                ),
                from_email=None,
                recipient_list=recipients,
            )
    return created
