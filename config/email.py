"""Outgoing e-mail goes through Celery.

`CeleryEmailBackend` records each message as an `OutboundEmail` row inside the caller's
transaction (so a rolled-back action sends nothing) and enqueues its delivery after commit;
the worker delivers it with the backend named by `EMAIL_URL`.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


def serialize_message(message: EmailMessage) -> dict[str, Any]:
    alternatives = [
        [alternative[0], alternative[1]] for alternative in getattr(message, "alternatives", [])
    ]
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment[0], attachment[1], attachment[2]
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
        "attachments": attachments,
    }


def deserialize_message(payload: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, encoded, mimetype in payload["attachments"]:
        message.attach(filename, base64.b64decode(encoded), mimetype)
    return message


class CeleryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from accounts.services import outbound_email_queue

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbound_email_queue(payload=serialize_message(message))
            count += 1
        return count


class ReadableConsoleBackend(BaseEmailBackend):
    """The development mailer (`EMAIL_URL=console://`): each e-mail logged at INFO as a
    person reads it (headers, then the plain-text body as written), so links stay on one
    line and can be clicked; the MIME source would fold and quote long lines."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        import logging

        logger = logging.getLogger("config.email")
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            logger.info(
                "E-mail from %s to %s\nSubject: %s\n\n%s\n%s",
                message.from_email,
                ", ".join(message.recipients()),
                message.subject,
                message.body,
                "-" * 72,
            )
            count += 1
        return count
