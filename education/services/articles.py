"""Writing guidance articles: create, edit (a new revision when the content changes), the
review and publication life cycle (`education.workflow.ARTICLE`) and review confirmations.
Each writes its change and one audit event (`core.AuditEvent`, staff-only) together."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, TextField, Value
from django.utils import timezone

from accounts.models import User
from core.audit import audit_record, diff
from core.workflow import TransitionNotAllowed
from education import workflow
from education.events import AuditAction
from education.models import Article, ArticleRevision, Audience, Topic
from education.rendering import render_markdown
from education.selectors import SEARCH_CONFIG
from education.services.common import require_permission

CONTENT_FIELDS = ("title", "summary", "body", "references")
# What an article's audit events record before and after a create or an edit.
AUDITED_FIELDS = (
    "slug",
    "title",
    "summary",
    "body",
    "references",
    "legal_guidance",
    "last_reviewed",
)
RELATED_FIELDS = ("topics", "audiences", "related")


def clean_references(references: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Official references as ``[{citation, title, url}]``; url must be http(s)."""
    cleaned = []
    for index, reference in enumerate(references, start=1):
        citation = str(reference.get("citation", "")).strip()
        title = str(reference.get("title", "")).strip() or citation
        url = str(reference.get("url", "")).strip()
        if not citation:
            raise ValidationError({"references": f"Reference {index} needs a citation."})
        parts = urlsplit(url)
        if url and (parts.scheme not in {"http", "https"} or not parts.netloc):
            raise ValidationError(
                {"references": f"Reference {index}: the link must start with https:// or http://."}
            )
        cleaned.append({"citation": citation, "title": title, "url": url})
    return cleaned


def _render_into(article: Article) -> None:
    rendered = render_markdown(article.body)
    article.rendered_html = rendered.html
    article.toc = [asdict(entry) for entry in rendered.toc]
    article.body_text = rendered.text


def _update_search_vector(article_id: int) -> None:
    """Weighted full-text vectors: title A, summary B, body C; and the small head vector
    (title and section headings A, summary B) that ranks first and adds to the rank.
    PostgreSQL only; SQLite keeps its FTS5 index by triggers (`education.search_sqlite`)."""
    if connection.vendor != "postgresql":
        return
    toc = Article.objects.values_list("toc", flat=True).get(pk=article_id) or []
    headings = Value(
        " ".join(str(entry.get("text", "")) for entry in toc if isinstance(entry, dict)),
        output_field=TextField(),
    )
    Article.objects.filter(pk=article_id).update(
        search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG),
        search_head=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(headings, weight="A", config=SEARCH_CONFIG),
    )


def _snapshot(article: Article) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(article, name) for name in AUDITED_FIELDS}
    for name in RELATED_FIELDS:
        values[name] = sorted(getattr(article, name).values_list("slug", flat=True))
    return values


def _audit(
    *,
    article: Article,
    action: AuditAction,
    actor: User | None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    # Editorial history is for staff: an article concerns no organisation.
    audit_record(
        action=action,
        target=article,
        target_label=article.title,
        actor=actor,
        changes=changes,
        reason=note[:500],
        detail=detail,
        internal=True,
    )


def _revision(
    *, article: Article, actor: User | None, changed: list[str], note: str
) -> ArticleRevision:
    number = (article.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ArticleRevision.objects.create(
        article=article,
        number=number,
        author=actor,
        title=article.title,
        summary=article.summary,
        body=article.body,
        references=article.references,
        changed_fields=changed,
        note=note[:300],
    )


def article_create(
    *,
    actor: User | None,
    slug: str,
    title: str,
    summary: str,
    body: str,
    references: Iterable[Mapping[str, Any]] = (),
    topics: Iterable[Topic] = (),
    audiences: Iterable[Audience] = (),
    related: Iterable[Article] = (),
    legal_guidance: bool = False,
    last_reviewed: datetime.date | None = None,
    note: str = "",
) -> Article:
    """A new draft article with its first revision."""
    require_permission(actor, "education.add_article")
    with transaction.atomic():
        article = Article(
            slug=slug,
            title=title.strip(),
            summary=summary.strip(),
            body=body,
            references=clean_references(references),
            legal_guidance=legal_guidance,
            last_reviewed=last_reviewed,
            created_by=actor,
            last_edited_by=actor,
        )
        _render_into(article)
        article.full_clean()
        article.save()
        article.topics.set(list(topics))
        article.audiences.set(list(audiences))
        article.related.set([other for other in related if other.pk != article.pk])
        revision = _revision(article=article, actor=actor, changed=list(CONTENT_FIELDS), note=note)
        changes = diff({}, _snapshot(article))
        changes["status"] = {"before": None, "after": article.status}
        _audit(
            article=article,
            action=AuditAction.ARTICLE_CREATE,
            actor=actor,
            changes=changes,
            note=note,
            detail={"revision": revision.number},
        )
        _update_search_vector(article.pk)
    article.refresh_from_db()
    return article


def article_save_revision(
    *,
    article: Article,
    actor: User | None,
    title: str,
    summary: str,
    body: str,
    references: Iterable[Mapping[str, Any]],
    topics: Iterable[Topic] | None = None,
    audiences: Iterable[Audience] | None = None,
    related: Iterable[Article] | None = None,
    legal_guidance: bool | None = None,
    last_reviewed: datetime.date | None = None,
    slug: str | None = None,
    note: str = "",
) -> Article:
    """Save an edit. A change of title, summary, body or references is a new revision (who,
    when, which fields) and makes the actor the author of the current revision; other
    changes are recorded in the audit event only. Saving identical content changes nothing.

    Edits to a published article are live at once; the four-eyes rule governs publication.
    """
    require_permission(actor, "education.change_article")
    new_content = {
        "title": title.strip(),
        "summary": summary.strip(),
        "body": body,
        "references": clean_references(references),
    }
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        before = _snapshot(locked)
        changed = [name for name in CONTENT_FIELDS if getattr(locked, name) != new_content[name]]
        meta_changed: list[str] = []
        if slug is not None and slug != locked.slug:
            locked.slug = slug
            meta_changed.append("slug")
        if legal_guidance is not None and legal_guidance != locked.legal_guidance:
            locked.legal_guidance = legal_guidance
            # Unmarking legal guidance must not let its author publish it alone.
            locked.legal_flag_cleared_by = None if legal_guidance else actor
            meta_changed.append("legal_guidance")
        if last_reviewed is not None and last_reviewed != locked.last_reviewed:
            locked.last_reviewed = last_reviewed
            meta_changed.append("last_reviewed")
        for name, values in (("topics", topics), ("audiences", audiences), ("related", related)):
            if values is None:
                continue
            wanted = {item.pk for item in values} - ({locked.pk} if name == "related" else set())
            manager = getattr(locked, name)
            if wanted != set(manager.values_list("pk", flat=True)):
                manager.set(list(wanted))
                meta_changed.append(name)
        if not changed and not meta_changed:
            return locked
        detail: dict[str, Any] = {"changed": changed + meta_changed}
        if changed:
            for name in changed:
                setattr(locked, name, new_content[name])
            _render_into(locked)
            locked.last_edited_by = actor
            if locked.status == Article.Status.PUBLISHED:
                locked.content_updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        if changed:
            detail["revision"] = _revision(
                article=locked, actor=actor, changed=changed, note=note
            ).number
        _audit(
            article=locked,
            action=AuditAction.ARTICLE_EDIT,
            actor=actor,
            changes=diff(before, _snapshot(locked)),
            note=note,
            detail=detail,
        )
        if changed:
            _update_search_vector(locked.pk)
    locked.refresh_from_db()
    return locked


def _transition(
    *, article: Article, actor: User | None, name: str, action: AuditAction, note: str
) -> Article:
    require_permission(actor, workflow.PERMISSIONS[name])
    kind = workflow.actor_kind(actor)
    with transaction.atomic():
        # Of two concurrent transitions on one article only the first wins: the second
        # waits for the lock, then sees the new status and is refused.
        locked = workflow.ARTICLE.lock(Article, article.pk)
        workflow.ARTICLE.check(locked, name, kind)
        reason = workflow.extra_refusal(locked, name, actor)
        if reason is not None:
            raise TransitionNotAllowed(reason, obj=locked, transition=name)
        before, after = workflow.ARTICLE.apply(locked, name, kind)
        if after == Article.Status.PUBLISHED:
            now = timezone.now()
            locked.published_at = locked.published_at or now
            locked.content_updated_at = now
            locked.legal_flag_cleared_by = None
        locked.save(
            update_fields=["status", "published_at", "content_updated_at", "legal_flag_cleared_by"]
        )
        _audit(
            article=locked,
            action=action,
            actor=actor,
            changes={"status": {"before": before, "after": after}},
            note=note,
        )
    return locked


def article_submit_for_review(*, article: Article, actor: User | None, note: str = "") -> Article:
    return _transition(
        article=article,
        actor=actor,
        name="submit_for_review",
        action=AuditAction.ARTICLE_SUBMIT,
        note=note,
    )


def article_return_to_draft(*, article: Article, actor: User | None, note: str = "") -> Article:
    return _transition(
        article=article,
        actor=actor,
        name="return_to_draft",
        action=AuditAction.ARTICLE_RETURN,
        note=note,
    )


def article_publish(*, article: Article, actor: User | None, note: str = "") -> Article:
    """Publish an article in review. Legal guidance needs a second editor: the author of the
    current revision may not publish it (`workflow.publish_refusal`)."""
    return _transition(
        article=article,
        actor=actor,
        name="publish",
        action=AuditAction.ARTICLE_PUBLISH,
        note=note,
    )


def article_archive(*, article: Article, actor: User | None, note: str = "") -> Article:
    return _transition(
        article=article,
        actor=actor,
        name="archive",
        action=AuditAction.ARTICLE_ARCHIVE,
        note=note,
    )


def article_restore(*, article: Article, actor: User | None, note: str = "") -> Article:
    return _transition(
        article=article,
        actor=actor,
        name="restore",
        action=AuditAction.ARTICLE_RESTORE,
        note=note,
    )


def article_mark_reviewed(
    *, article: Article, actor: User | None, on: datetime.date | None = None, note: str = ""
) -> Article:
    """An editor confirmed the article is still accurate; starts a new review cycle."""
    require_permission(actor, "education.change_article")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        previous = locked.last_reviewed
        locked.last_reviewed = on or timezone.localdate()
        locked.save(update_fields=["last_reviewed"])
        _audit(
            article=locked,
            action=AuditAction.ARTICLE_MARK_REVIEWED,
            actor=actor,
            changes=diff({"last_reviewed": previous}, {"last_reviewed": locked.last_reviewed}),
            note=note,
            detail={
                "from": previous.isoformat() if previous else None,
                "to": locked.last_reviewed.isoformat(),
            },
        )
    return locked
