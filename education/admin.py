"""Admin for content editors (articles, topics, modules and quizzes) and supervisors (which
modules each business type must complete). Every write goes through `education.services`;
refusals (the four-eyes rule, a wrong status) are shown as messages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.models import User
from core.workflow import TransitionNotAllowed
from education import events, selectors, services, workflow
from education.admin_forms import ArticleAdminForm, ChoiceInlineFormSet
from education.models import (
    Article,
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
from education.rendering import as_safe_html, render_markdown

_STATUS = dict(Article.Status.choices)
_acting_user: ContextVar[Any] = ContextVar("education_admin_acting_user", default=None)


def _editor(request: HttpRequest) -> User:
    """The signed-in staff user acting in the admin (the admin requires one)."""
    user = request.user
    assert isinstance(user, User)
    return user


class ReadOnlyAdminMixin:
    """Records written only by services: visible, never edited in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "position")


# -- articles ------------------------------------------------------------------------------


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("due", "Due for review")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "due":
            due = selectors.articles_due_for_review().values("pk")
            return queryset.filter(pk__in=due)
        return queryset


class ArticleRevisionInline(admin.TabularInline):
    model = ArticleRevision
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "author", "changed_fields", "note", "view")
    readonly_fields = fields
    ordering = ("-number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="version")
    def view(self, revision: ArticleRevision) -> str:
        url = reverse("admin:education_article_revision", args=[revision.article_id, revision.pk])
        return format_html('<a href="{}">View revision {}</a>', url, revision.number)


def _transition_action(
    service: Callable[..., Article], done: str, description: str
) -> Callable[..., None]:
    def action(model_admin: ArticleAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        succeeded = 0
        for article in queryset:
            try:
                service(article=article, actor=_editor(request))
            except (TransitionNotAllowed, PermissionDenied) as error:
                model_admin.message_user(request, f"{article}: {error}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            model_admin.message_user(request, f"{succeeded} article(s) {done}.", messages.SUCCESS)

    action.__name__ = service.__name__.removeprefix("article_")
    return admin.action(description=description)(action)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "status",
        "legal_guidance",
        "last_reviewed",
        "review_due",
        "helpful_yes",
        "helpful_no",
        "content_updated_at",
    )
    list_filter = ("status", ReviewDueFilter, "legal_guidance", "topics", "audiences")
    search_fields = ("title", "summary", "slug", "body")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics", "audiences", "related")
    readonly_fields = (
        "status",
        "created_by",
        "last_edited_by",
        "published_at",
        "content_updated_at",
        "public_link",
        "next_steps",
        "preview",
        "history",
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "references_text", "note")}),
        (
            "Classification",
            {"fields": ("topics", "audiences", "related", "legal_guidance", "last_reviewed")},
        ),
        (
            "Status",
            {
                "fields": (
                    "status",
                    "created_by",
                    "last_edited_by",
                    "published_at",
                    "content_updated_at",
                    "public_link",
                    "next_steps",
                )
            },
        ),
        ("Preview of the saved version", {"fields": ("preview",)}),
        ("History", {"fields": ("history",)}),
    )
    inlines = (ArticleRevisionInline,)
    actions = (
        _transition_action(
            services.article_submit_for_review, "submitted for review", "Submit for review"
        ),
        _transition_action(services.article_publish, "published", "Publish"),
        _transition_action(
            services.article_return_to_draft, "returned to draft", "Return to draft"
        ),
        _transition_action(services.article_archive, "archived", "Archive"),
        _transition_action(services.article_restore, "restored to draft", "Restore to draft"),
        "mark_reviewed",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return selectors.article_feedback_counts(queryset=super().get_queryset(request))

    # Shown instead of the form fields of the same name to users who may only view.
    @admin.display(description="official references")
    def references_text(self, article: Article) -> str:
        return format_html_join(
            "",
            "<div>{} | {} | {}</div>",
            ((r["citation"], r["title"], r["url"]) for r in article.references),
        )

    @admin.display(description="revision note")
    def note(self, article: Article) -> str:
        return "-"

    @admin.display(description="helpful", ordering="helpful_yes")
    def helpful_yes(self, article: Article) -> int:
        return getattr(article, "helpful_yes", 0)

    @admin.display(description="not helpful", ordering="helpful_no")
    def helpful_no(self, article: Article) -> int:
        return getattr(article, "helpful_no", 0)

    @admin.display(description="review due", boolean=True)
    def review_due(self, article: Article) -> bool | None:
        if article.status != Article.Status.PUBLISHED:
            return None
        reviewed = article.last_reviewed or (
            article.published_at.date() if article.published_at else None
        )
        if reviewed is None:
            return True
        interval = datetime.timedelta(days=services.review_interval_days())
        return reviewed <= timezone.localdate() - interval

    @admin.display(description="public page")
    def public_link(self, article: Article) -> str:
        if not article.pk or not article.is_public:
            return "Not public"
        return format_html('<a href="{0}">{0}</a>', article.get_absolute_url())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # `next_steps` asks the state machine what the acting editor may do; the admin is
        # shared between requests, so the user travels in a context variable.
        token = _acting_user.set(request.user)
        try:
            response = super().changeform_view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse):
                response.render()
            return response
        finally:
            _acting_user.reset(token)

    @admin.display(description="you may now")
    def next_steps(self, article: Article) -> str:
        if not article.pk:
            return "-"
        user = _acting_user.get()
        names = workflow.allowed(article, user) if user is not None else []
        labels = [workflow.ARTICLE[name].label for name in names]
        return ", ".join(labels) + " (Actions on the article list)" if labels else "-"

    @admin.display(description="history")
    def history(self, article: Article) -> SafeString:
        if not article.pk:
            return format_html("<p>{}</p>", "No history yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                    events.title(event.action),
                    event.actor_label or ("system" if event.actor_kind == "system" else "-"),
                    f"{_STATUS.get(event.from_status, '-')} -> {_STATUS[event.to_status]}"
                    if event.to_status in _STATUS
                    else "",
                    event.reason,
                )
                for event in selectors.article_history(article=article)
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Status</th>"
            "<th>Note</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="rendered")
    def preview(self, article: Article) -> SafeString:
        if not article.pk:
            return format_html("<p>{}</p>", "Save the article to see the preview.")
        toc = format_html_join(
            "", '<li><a href="#{}">{}</a></li>', ((e["anchor"], e["text"]) for e in article.toc)
        )
        return format_html(
            '<div class="education-preview"><h1>{}</h1><p><strong>{}</strong></p>'
            "<ul>{}</ul>{}</div>",
            article.title,
            article.summary,
            toc,
            as_safe_html(article.rendered_html),
        )

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        data = form.cleaned_data
        content = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "references": data["references_text"],
            "topics": data["topics"],
            "audiences": data["audiences"],
            "related": data["related"],
            "legal_guidance": data["legal_guidance"],
            "last_reviewed": data["last_reviewed"],
            "note": data["note"],
        }
        if change:
            saved = services.article_save_revision(
                article=obj, actor=_editor(request), slug=data["slug"], **content
            )
        else:
            saved = services.article_create(actor=_editor(request), slug=data["slug"], **content)
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields were saved by the service; inlines are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Articles are archived, never deleted (their history is the audit trail).
        return bool(request.user.is_superuser)

    @admin.action(description="Mark as reviewed today")
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            try:
                services.article_mark_reviewed(article=article, actor=_editor(request))
            except PermissionDenied as error:
                self.message_user(request, f"{article}: {error}", messages.ERROR)
                return
        self.message_user(request, f"{queryset.count()} article(s) marked as reviewed.")

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:article_id>/revisions/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="education_article_revision",
            ),
            *super().get_urls(),
        ]

    def revision_view(
        self, request: HttpRequest, article_id: int, revision_id: int
    ) -> HttpResponse:
        if not request.user.has_perm("education.view_articlerevision"):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article_id=article_id)
        rendered = render_markdown(revision.body)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{revision.article.title}: revision {revision.number}",
            "revision": revision,
            "article": revision.article,
            "rendered_html": as_safe_html(rendered.html),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "education/admin/revision.html", context)


# -- training ------------------------------------------------------------------------------


class ModuleArticleInline(admin.TabularInline):
    model = ModuleArticle
    extra = 1
    autocomplete_fields = ("article",)
    fields = ("position", "article")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ("position", "text", "explanation", "choices_link")
    readonly_fields = ("choices_link",)
    show_change_link = True

    @admin.display(description="choices")
    def choices_link(self, question: Question) -> str:
        if not question.pk:
            return "Save, then add choices"
        count = question.choices.count()
        correct = question.choices.filter(is_correct=True).count()
        warning = "" if correct == 1 else " (needs exactly one correct)"
        url = reverse("admin:education_question_change", args=[question.pk])
        return format_html('<a href="{}">{} choices{}</a>', url, count, warning)


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "pass_mark", "published", "question_count")
    list_filter = ("published",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("version",)
    fields = ("title", "slug", "summary", "pass_mark", "published", "version")
    inlines = (ModuleArticleInline, QuestionInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Module]:
        return super().get_queryset(request).annotate(questions_total=Count("questions"))

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, module: Module) -> int:
        return getattr(module, "questions_total", 0)

    def save_model(self, request: HttpRequest, obj: Module, form: Any, change: bool) -> None:
        saved = services.module_save_details(
            actor=_editor(request),
            module=obj if change else None,
            slug=obj.slug,
            title=obj.title,
            summary=obj.summary,
            pass_mark=obj.pass_mark,
            published=obj.published,
        )
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before = form.instance.version
        module = services.module_refresh_version(module=form.instance, actor=_editor(request))
        if module.version != before:
            self.message_user(
                request,
                f"The quiz changed: {module} is now version {module.version}. Earlier "
                "completions keep their version.",
                messages.INFO,
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = ("position", "text", "is_correct")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "module", "position")
    list_filter = ("module",)
    search_fields = ("text",)
    fields = ("module", "position", "text", "explanation")
    inlines = (ChoiceInline,)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.module_refresh_version(module=form.instance.module, actor=_editor(request))

    def delete_model(self, request: HttpRequest, obj: Question) -> None:
        module = obj.module
        super().delete_model(request, obj)
        services.module_refresh_version(module=module, actor=_editor(request))


@admin.register(ModuleVersion)
class ModuleVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("module", "number", "created_at", "created_by")
    list_filter = ("module",)


@admin.register(RequiredModule)
class RequiredModuleAdmin(admin.ModelAdmin):
    """Supervisors designate the modules each business type must complete before a
    known-shipper application passes the "required training completed" check."""

    list_display = ("business_type", "module", "designated_by", "designated_at")
    list_filter = ("business_type", "module")
    fields = ("business_type", "module")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: RequiredModule, form: Any, change: bool
    ) -> None:
        saved = services.required_module_designate(
            actor=_editor(request), module=obj.module, business_type=obj.business_type
        )
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: RequiredModule) -> None:
        services.required_module_remove(actor=_editor(request), requirement=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RequiredModule]) -> None:
        for requirement in queryset:
            services.required_module_remove(actor=_editor(request), requirement=requirement)


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "module", "module_version", "score", "passed", "submitted_at")
    list_filter = ("passed", "module")
    search_fields = ("user__email",)
    exclude = ("answers",)


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("certificate_number", "user", "module", "version", "completed_at")
    list_filter = ("module",)
    search_fields = ("certificate_number", "user__email")


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("article", "helpful", "comment", "created_at")
    list_filter = ("helpful", "article")
    search_fields = ("comment",)


@admin.register(ReviewReminder)
class ReviewReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("article", "reviewed_on", "sent_at")
