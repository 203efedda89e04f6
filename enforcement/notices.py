"""Notices (pre-penalty, penalty, decision): rendered once from a template with the case's
figures and reasoning, sanitised, and stored with their SHA-256. A stored notice is never
re-rendered: the printable page shows the stored HTML, and `Notice.is_intact` re-checks it.

The templates autoescape everything the officer or the respondent typed; nh3 then cleans the
result with an allow-list of tags and attributes, so the stored HTML can be shown as is.
"""

from __future__ import annotations

import hashlib
from typing import Any

import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from enforcement.models import Case, Notice

ALLOWED_TAGS = {
    "article",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "header",
    "li",
    "ol",
    "p",
    "section",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {tag: {"class"} for tag in ALLOWED_TAGS} | {
    "th": {"class", "scope"},
    "td": {"class", "colspan"},
}
KIND_CODES = {
    Notice.Kind.PREPENALTY: "PPN",
    Notice.Kind.PENALTY: "PN",
    Notice.Kind.DECISION: "D",
}


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)


def render_notice(*, kind: str, context: dict[str, Any]) -> str:
    html = render_to_string(
        f"enforcement/notices/{kind}.html",
        {**context, "program_name": settings.PROGRAM_NAME},
    )
    return sanitise(html)


def notice_create(
    *,
    case: Case,
    kind: str,
    issued_by: User,
    amount: Any,
    calculation: dict[str, Any],
    context: dict[str, Any],
) -> Notice:
    """Render and store a notice; call inside the issuing service's transaction."""
    issued_at = timezone.now()
    sequence = case.notices.filter(kind=kind).count() + 1
    reference = f"{case.number}-{KIND_CODES[Notice.Kind(kind)]}{sequence}"
    html = render_notice(
        kind=kind,
        context={
            **context,
            "case": case,
            "reference": reference,
            "issued_on": timezone.localdate(issued_at),
            "issued_by": issued_by,
            "amount": amount,
            "calculation": calculation,
        },
    )
    return Notice.objects.create(
        case=case,
        kind=kind,
        reference=reference,
        amount=amount,
        html=html,
        sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(),
        calculation=calculation,
        issued_at=issued_at,
        issued_by=issued_by,
    )
