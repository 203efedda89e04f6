"""Writes for guidance and training: keyword-only business actions, one transaction each,
writing the change and its audit record together.

``actor=None`` means the system (the content loader, scheduled tasks); a user actor must hold
the model permission the action needs, so a shipper or an anonymous caller is refused here
whatever page or API calls the function.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.roles import CONTENT_EDITOR
from education.models import (
    Article,
    ArticleEvent,
    ArticleFeedback,
    ArticleRevision,
    Audience,
    Choice,
    Completion,
    Module,
    ModuleArticle,
    ModuleVersion,
    Question,
    QuizAttempt,
    RequiredModule,
    ReviewReminder,
    Topic,
)
from education.rendering import render_markdown

SEARCH_CONFIG = "english"
CONTENT_FIELDS = ("title", "summary", "body", "references")
FEEDBACK_LIMIT_PER_HOUR = 5


class EducationError(Exception):
    """A business rule refused the action; the message is meant for the person acting."""


class TransitionNotAllowed(EducationError):
    pass


class FeedbackRateLimited(EducationError):
    pass


class QuizOutdated(EducationError):
    pass


def _require(actor: User | None, permission: str) -> None:
    if actor is None:
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(f"{actor} may not do this ({permission}).")


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
    """Weighted full-text vector: title A, summary B, body C. PostgreSQL only; elsewhere
    search falls back to substring matching (see `selectors.article_search`)."""
    if connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=article_id).update(
        search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    )


def _event(
    *,
    article: Article,
    kind: str,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note[:500],
        detail=detail or {},
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
    _require(actor, "education.add_article")
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
        _event(
            article=article,
            kind=ArticleEvent.Kind.CREATED,
            actor=actor,
            to_status=article.status,
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
    changes are recorded as an event. Saving identical content changes nothing.

    Edits to a published article are live at once; the four-eyes rule governs publication.
    """
    _require(actor, "education.change_article")
    new_content = {
        "title": title.strip(),
        "summary": summary.strip(),
        "body": body,
        "references": clean_references(references),
    }
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
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
        _event(article=locked, kind=ArticleEvent.Kind.EDITED, actor=actor, note=note, detail=detail)
        if changed:
            _update_search_vector(locked.pk)
    locked.refresh_from_db()
    return locked


def _transition(
    *,
    article: Article,
    actor: User | None,
    action: str,
    kind: str,
    note: str,
    refusal: Any,
) -> Article:
    with transaction.atomic():
        # Row lock: of two concurrent transitions on one article only the first wins; the
        # second sees the new status and is refused by the guard.
        locked = Article.objects.select_for_update().get(pk=article.pk)
        reason = refusal(locked)
        target = locked.target_status(action)
        if reason is None and target is None:
            reason = (
                f"This article cannot be {kind} now (it is {locked.get_status_display().lower()})."
            )
        if reason is not None:
            raise TransitionNotAllowed(reason)
        assert target is not None
        from_status = locked.status
        locked.status = target
        now = timezone.now()
        if target == Article.Status.PUBLISHED:
            locked.published_at = locked.published_at or now
            locked.content_updated_at = now
            locked.legal_flag_cleared_by = None
        locked.save(
            update_fields=["status", "published_at", "content_updated_at", "legal_flag_cleared_by"]
        )
        _event(
            article=locked,
            kind=kind,
            actor=actor,
            from_status=from_status,
            to_status=target,
            note=note,
        )
    return locked


def article_submit_for_review(*, article: Article, actor: User | None, note: str = "") -> Article:
    _require(actor, "education.change_article")
    return _transition(
        article=article,
        actor=actor,
        action="submit_for_review",
        kind=ArticleEvent.Kind.SUBMITTED,
        note=note,
        refusal=lambda locked: locked.submit_refusal(),
    )


def article_return_to_draft(*, article: Article, actor: User | None, note: str = "") -> Article:
    _require(actor, "education.change_article")
    return _transition(
        article=article,
        actor=actor,
        action="return_to_draft",
        kind=ArticleEvent.Kind.RETURNED,
        note=note,
        refusal=lambda locked: None,
    )


def article_publish(*, article: Article, actor: User | None, note: str = "") -> Article:
    """Publish an article in review. Legal guidance needs a second editor: the author of the
    current revision may not publish it (`Article.publish_refusal`)."""
    _require(actor, "education.publish_article")
    return _transition(
        article=article,
        actor=actor,
        action="publish",
        kind=ArticleEvent.Kind.PUBLISHED,
        note=note,
        refusal=lambda locked: locked.publish_refusal(actor),
    )


def article_archive(*, article: Article, actor: User | None, note: str = "") -> Article:
    _require(actor, "education.publish_article")
    return _transition(
        article=article,
        actor=actor,
        action="archive",
        kind=ArticleEvent.Kind.ARCHIVED,
        note=note,
        refusal=lambda locked: None,
    )


def article_restore(*, article: Article, actor: User | None, note: str = "") -> Article:
    _require(actor, "education.change_article")
    return _transition(
        article=article,
        actor=actor,
        action="restore",
        kind=ArticleEvent.Kind.RESTORED,
        note=note,
        refusal=lambda locked: None,
    )


def article_mark_reviewed(
    *, article: Article, actor: User | None, on: datetime.date | None = None, note: str = ""
) -> Article:
    """An editor confirmed the article is still accurate; starts a new review cycle."""
    _require(actor, "education.change_article")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        previous = locked.last_reviewed
        locked.last_reviewed = on or timezone.localdate()
        locked.save(update_fields=["last_reviewed"])
        _event(
            article=locked,
            kind=ArticleEvent.Kind.REVIEWED,
            actor=actor,
            note=note,
            detail={
                "from": previous.isoformat() if previous else None,
                "to": locked.last_reviewed.isoformat(),
            },
        )
    return locked


# -- feedback ------------------------------------------------------------------------------


def feedback_record(
    *, article: Article, helpful: bool, comment: str = "", client_key: str
) -> ArticleFeedback:
    """Store an anonymous "Was this helpful?" answer for a published article. At most
    `FEEDBACK_LIMIT_PER_HOUR` per article per client (``client_key``, e.g. the IP address,
    is only hashed into a cache key and never stored)."""
    if not article.is_public:
        raise EducationError("Feedback is only taken on published articles.")
    comment = comment.strip()
    if len(comment) > ArticleFeedback.COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the comment to {ArticleFeedback.COMMENT_MAX_LENGTH} characters."}
        )
    limit = getattr(settings, "EDUCATION_FEEDBACK_LIMIT_PER_HOUR", FEEDBACK_LIMIT_PER_HOUR)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_key}".encode()).hexdigest()[:32]
    key = f"education:feedback:{article.pk}:{digest}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise FeedbackRateLimited(
            "Thank you, we already have your feedback on this article. Please try again later."
        )
    with transaction.atomic():
        return ArticleFeedback.objects.create(article=article, helpful=helpful, comment=comment)


# -- review reminders ----------------------------------------------------------------------


def review_interval_days() -> int:
    return int(getattr(settings, "EDUCATION_REVIEW_INTERVAL_DAYS", 365))


def review_reminders_send(*, today: datetime.date | None = None) -> list[ReviewReminder]:
    """E-mail content editors once per review cycle about published articles last reviewed
    more than `EDUCATION_REVIEW_INTERVAL_DAYS` ago. Running it again in the same cycle sends
    nothing; marking an article reviewed starts a new cycle."""
    from education.selectors import articles_due_for_review

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
            _event(
                article=article,
                kind=ArticleEvent.Kind.REVIEW_REMINDER,
                actor=None,
                note=f"Last reviewed {reviewed_on.isoformat()}",
                detail={"recipients": len(recipients)},
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


# -- training ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceData:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionData:
    text: str
    explanation: str
    choices: Sequence[ChoiceData] = field(default_factory=tuple)


def _quiz_snapshot(module: Module) -> dict[str, Any]:
    return {
        "pass_mark": module.pass_mark,
        "questions": [
            {
                "text": question.text,
                "explanation": question.explanation,
                "choices": [
                    {"text": choice.text, "correct": choice.is_correct}
                    for choice in question.choices.all()
                ],
            }
            for question in module.questions.prefetch_related("choices")
        ],
    }


def quiz_fingerprint(snapshot: Mapping[str, Any]) -> str:
    """What makes a quiz version: the pass mark, the questions, their choices and which is
    correct, in order. Explanations are not part of it (rewording one does not make earlier
    completions stale)."""
    essential = {
        "pass_mark": snapshot["pass_mark"],
        "questions": [
            {"text": question["text"], "choices": question["choices"]}
            for question in snapshot["questions"]
        ],
    }
    return hashlib.sha256(json.dumps(essential, sort_keys=True).encode()).hexdigest()


def _questions_snapshot(pass_mark: int, questions: Sequence[QuestionData]) -> dict[str, Any]:
    return {
        "pass_mark": pass_mark,
        "questions": [
            {
                "text": question.text,
                "explanation": question.explanation,
                "choices": [
                    {"text": choice.text, "correct": choice.correct} for choice in question.choices
                ],
            }
            for question in questions
        ],
    }


def _validate_questions(questions: Sequence[QuestionData]) -> None:
    for index, question in enumerate(questions, start=1):
        if len(question.choices) < 2:
            raise ValidationError(f"Question {index} needs at least two choices.")
        if sum(1 for choice in question.choices if choice.correct) != 1:
            raise ValidationError(f"Question {index} needs exactly one correct choice.")


def module_refresh_version(*, module: Module, actor: User | None) -> Module:
    """Record the quiz as it is now. If its questions, choices, correct answers or pass mark
    differ from the latest recorded version, the module gets the next version number;
    completions of earlier versions stay as they were."""
    _require(actor, "education.change_module")
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        snapshot = _quiz_snapshot(locked)
        fingerprint = quiz_fingerprint(snapshot)
        latest = locked.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == fingerprint:
            if latest.snapshot != snapshot:  # only explanations changed
                latest.snapshot = snapshot
                latest.save(update_fields=["snapshot"])
            return locked
        number = latest.number + 1 if latest is not None else locked.version
        locked.version = number
        locked.save(update_fields=["version"])
        ModuleVersion.objects.create(
            module=locked,
            number=number,
            created_by=actor,
            fingerprint=fingerprint,
            snapshot=snapshot,
        )
    return locked


def module_set_questions(
    *, module: Module, actor: User | None, questions: Sequence[QuestionData]
) -> Module:
    """Replace the quiz's questions (a new version if they differ from the current ones)."""
    _require(actor, "education.change_module")
    _validate_questions(questions)
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        current = _quiz_snapshot(locked)
        wanted = _questions_snapshot(locked.pass_mark, questions)
        if current == wanted:
            return locked
        locked.questions.all().delete()
        for position, data in enumerate(questions, start=1):
            question = Question.objects.create(
                module=locked, position=position, text=data.text, explanation=data.explanation
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question, position=index, text=choice.text, is_correct=choice.correct
                )
                for index, choice in enumerate(data.choices, start=1)
            )
        return module_refresh_version(module=locked, actor=actor)


def module_save(
    *,
    actor: User | None,
    slug: str,
    title: str,
    summary: str,
    pass_mark: int,
    articles: Sequence[Article],
    questions: Sequence[QuestionData],
    published: bool = True,
    module: Module | None = None,
) -> Module:
    """Create a module or update one, with its ordered articles and its quiz."""
    _require(actor, "education.change_module" if module else "education.add_module")
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": "The pass mark is a percentage from 1 to 100."})
    _validate_questions(questions)
    with transaction.atomic():
        if module is None:
            module = Module(slug=slug)
        module.slug = slug
        module.title = title.strip()
        module.summary = summary.strip()
        module.pass_mark = pass_mark
        module.published = published
        module.full_clean()
        module.save()
        if [item.article_id for item in module.module_articles.all()] != [a.pk for a in articles]:
            module.module_articles.all().delete()
            ModuleArticle.objects.bulk_create(
                ModuleArticle(module=module, article=article, position=position)
                for position, article in enumerate(articles, start=1)
            )
        module = module_set_questions(module=module, actor=actor, questions=questions)
        return module_refresh_version(module=module, actor=actor)


def required_module_designate(
    *, actor: User | None, module: Module, business_type: str
) -> RequiredModule:
    """Make a module required for applicants of one business type (idempotent)."""
    _require(actor, "education.add_requiredmodule")
    from core.reference.business_types import BusinessType

    if business_type not in {member.value for member in BusinessType}:
        raise ValidationError({"business_type": f"Unknown business type {business_type!r}."})
    with transaction.atomic():
        requirement, _ = RequiredModule.objects.get_or_create(
            module=module, business_type=business_type, defaults={"designated_by": actor}
        )
    return requirement


def required_module_remove(*, actor: User | None, requirement: RequiredModule) -> None:
    _require(actor, "education.delete_requiredmodule")
    with transaction.atomic():
        requirement.delete()


def _certificate_number(completed_at: datetime.datetime) -> str:
    while True:
        number = f"{settings.PROGRAM_COUNTRY}-TRN-{completed_at:%Y}-{secrets.token_hex(4).upper()}"
        if not Completion.objects.filter(certificate_number=number).exists():
            return number


def quiz_attempt_submit(
    *,
    user: User,
    module: Module,
    version: int,
    answers: Mapping[str, Any],
    started_at: datetime.datetime | None = None,
) -> QuizAttempt:
    """Score a quiz. ``answers`` maps question ids to choice ids. The attempt is stored
    whatever the score; passing also records a completion of this module version (once per
    user and version; retakes after passing are allowed and stored as attempts)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in to take a quiz.")
    with transaction.atomic():
        locked = Module.objects.select_for_update().get(pk=module.pk)
        if not locked.published:
            raise EducationError("This module is not available.")
        if version != locked.version:
            raise QuizOutdated(
                "This quiz was updated while you were answering it. Please answer the "
                "current questions."
            )
        questions = list(locked.questions.prefetch_related("choices"))
        if not questions:
            raise EducationError("This module has no quiz yet.")
        errors: dict[str, str] = {}
        results = []
        correct_count = 0
        clean_answers: dict[str, int] = {}
        for question in questions:
            choices = list(question.choices.all())
            raw = answers.get(str(question.pk))
            chosen = next((c for c in choices if str(c.pk) == str(raw)), None)
            if chosen is None:
                errors[f"question_{question.pk}"] = "Choose an answer."
                continue
            right = next((c for c in choices if c.is_correct), None)
            is_correct = chosen.is_correct
            correct_count += int(is_correct)
            clean_answers[str(question.pk)] = chosen.pk
            results.append(
                {
                    "question": question.text,
                    "chosen": chosen.text,
                    "correct_answer": right.text if right else "",
                    "is_correct": is_correct,
                    "explanation": question.explanation,
                }
            )
        if errors:
            raise ValidationError(errors)
        total = len(questions)
        attempt = QuizAttempt.objects.create(
            user=user,
            module=locked,
            module_version=locked.version,
            answers=clean_answers,
            results=results,
            correct_count=correct_count,
            question_count=total,
            score=(100 * correct_count) // total,
            passed=correct_count * 100 >= locked.pass_mark * total,
            started_at=started_at,
        )
        if attempt.passed:
            exists = Completion.objects.filter(
                user=user, module=locked, version=locked.version
            ).exists()
            if not exists:
                Completion.objects.create(
                    user=user,
                    module=locked,
                    version=locked.version,
                    completed_at=attempt.submitted_at,
                    attempt=attempt,
                    certificate_number=_certificate_number(attempt.submitted_at),
                )
    return attempt
