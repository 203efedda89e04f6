"""The guidance article's life cycle: draft -> in review -> published -> archived.

`ARTICLE` declares the only ways an article's status changes and who may take each step:
a content editor (a user holding the Django permission the service asks for) or the system
(the content loader, which publishes the reviewed starter library). Two rules go beyond the
status, and both raise the same `core.workflow.TransitionNotAllowed`: an article needs a
title, summary and body before review, and legal guidance needs a second editor to publish
(the author of the current revision, or whoever removed the legal-guidance mark, may not).
Pages ask `can_*`; the services check again under a row lock.
"""

from __future__ import annotations

from typing import Any

from core.workflow import ActorKind, StateMachine, transition
from education.models import Article

DRAFT = Article.Status.DRAFT
IN_REVIEW = Article.Status.IN_REVIEW
PUBLISHED = Article.Status.PUBLISHED
ARCHIVED = Article.Status.ARCHIVED
_EDITORS = (ActorKind.EDITOR, ActorKind.SYSTEM)

ARTICLE = StateMachine(
    noun="article",
    transitions=[
        transition("submit_for_review", [DRAFT], IN_REVIEW, _EDITORS, "Submit for review"),
        transition("return_to_draft", [IN_REVIEW], DRAFT, _EDITORS, "Return to draft"),
        transition("publish", [IN_REVIEW], PUBLISHED, _EDITORS, "Publish"),
        transition("archive", [PUBLISHED, DRAFT], ARCHIVED, _EDITORS, "Archive"),
        transition("restore", [ARCHIVED], DRAFT, _EDITORS, "Restore"),
    ],
    describe=lambda article: f'article "{article.title}"',
    refusal_object="an article",
)

# The Django permission each transition needs from a user (the system needs none).
PERMISSIONS = {
    "submit_for_review": "education.change_article",
    "return_to_draft": "education.change_article",
    "publish": "education.publish_article",
    "archive": "education.publish_article",
    "restore": "education.change_article",
}


def actor_kind(user: Any) -> ActorKind:
    """None is the system; anyone else acts as an editor (the services check the
    permission itself)."""
    return ActorKind.SYSTEM if user is None else ActorKind.EDITOR


def submit_refusal(article: Article) -> str | None:
    """Why the article's content is not ready for review, or None."""
    if not (article.title.strip() and article.summary.strip() and article.body.strip()):
        return "An article needs a title, summary and body before review."
    return None


def publish_refusal(article: Article, user: Any) -> str | None:
    """Why `user` may not publish this article under the four-eyes rule, or None."""
    if user is None:
        return None
    if article.legal_guidance and article.last_edited_by_id == user.pk:
        return (
            "This article is legal guidance and you wrote its current revision: a second "
            "content editor must review and publish it."
        )
    if article.legal_flag_cleared_by_id == user.pk:
        return (
            "You removed the legal-guidance mark from this article: a second content "
            "editor must review and publish it."
        )
    return None


def extra_refusal(article: Article, name: str, user: Any) -> str | None:
    """The rule beyond the status that refuses transition `name`, or None."""
    if name == "submit_for_review":
        return submit_refusal(article)
    if name == "publish":
        return publish_refusal(article, user)
    return None


def can(article: Article, name: str, user: Any) -> bool:
    """Whether `user` (None: the system) may take transition `name` now."""
    if user is not None and not (
        user.is_authenticated and user.is_active and user.has_perm(PERMISSIONS[name])
    ):
        return False
    return (
        ARTICLE.can(article, name, actor_kind(user)) and extra_refusal(article, name, user) is None
    )


def allowed(article: Article, user: Any) -> list[str]:
    """The transitions `user` may take now, by name (for buttons)."""
    return [name for name in ARTICLE.transitions if can(article, name, user)]


def can_submit_for_review(article: Article, user: Any = None) -> bool:
    return can(article, "submit_for_review", user)


def can_publish(article: Article, user: Any) -> bool:
    return can(article, "publish", user)


def can_return_to_draft(article: Article, user: Any = None) -> bool:
    return can(article, "return_to_draft", user)


def can_archive(article: Article, user: Any = None) -> bool:
    return can(article, "archive", user)


def can_restore(article: Article, user: Any = None) -> bool:
    return can(article, "restore", user)
