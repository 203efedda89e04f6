"""The anonymous "Was this helpful?" answers on published articles.

Not audited: the answers are anonymous, and an audit event would tie each one to the
client's address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core import ratelimit
from education.models import Article, ArticleFeedback
from education.services.common import EducationError, FeedbackRateLimited

FEEDBACK_LIMIT_PER_HOUR = 5


def feedback_record(
    *, article: Article, helpful: bool, comment: str = "", client_key: str
) -> ArticleFeedback:
    """Store an anonymous "Was this helpful?" answer for a published article. At most
    `EDUCATION_FEEDBACK_LIMIT_PER_HOUR` per article per client (``client_key``, the client
    address from `core.client.client_address`, is only hashed into a cache key and never
    stored)."""
    if not article.is_public:
        raise EducationError("Feedback is only taken on published articles.")
    comment = comment.strip()
    if len(comment) > ArticleFeedback.COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the comment to {ArticleFeedback.COMMENT_MAX_LENGTH} characters."}
        )
    limit = getattr(settings, "EDUCATION_FEEDBACK_LIMIT_PER_HOUR", FEEDBACK_LIMIT_PER_HOUR)
    # The secret keeps the hashed key from being matched to an address by trying them all.
    key = f"{settings.SECRET_KEY}:{article.pk}:{client_key}"
    if not ratelimit.hit("education.feedback", key, limit=limit, window_seconds=3600):
        raise FeedbackRateLimited(
            "Thank you, we already have your feedback on this article. Please try again later."
        )
    with transaction.atomic():
        return ArticleFeedback.objects.create(article=article, helpful=helpful, comment=comment)
