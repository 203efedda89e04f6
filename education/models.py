"""Guidance articles (with revisions and feedback) and training modules (with versioned
quizzes, attempts, completions and the modules each business type must complete).

Status and version fields are changed only by `education.services` (an article's status
through its state machine, `education.workflow.ARTICLE`); every change writes a
`core.AuditEvent` in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Index
from django.urls import reverse

from core.reference.business_types import BusinessType

BUSINESS_TYPE_CHOICES = [
    (member.value, member.value.replace("_", " ").capitalize()) for member in BusinessType
]


class PortableGinIndex(GinIndex):
    """A GIN index on PostgreSQL; a plain index elsewhere (SQLite for `make run`), where the
    search vector column stays empty and search falls back to substring matching."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Topic(models.Model):
    """A subject area of the guidance library (reasonable care, classification, ...)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on the guidance home.")

    class Meta:
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:topic", args=[self.slug])


class Audience(models.Model):
    """Who an article is written for: importer, shipper, marketplace, carrier."""

    IMPORTER = "importer"
    SHIPPER = "shipper"
    MARKETPLACE = "marketplace"
    CARRIER = "carrier"

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    """A guidance article written in Markdown. Only `published` articles are public.

    `rendered_html`, `toc`, `body_text`, `search_vector` and `search_head` are derived from
    the Markdown by the services on every save and are never taken from input; the rendered
    HTML is what the article page shows (nothing is rendered per request).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=600)
    body = models.TextField(help_text="Markdown (CommonMark with tables). Use ## for sections.")
    references = models.JSONField(
        default=list,
        blank=True,
        help_text="Official references: a list of {citation, title, url}.",
    )
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    audiences = models.ManyToManyField(Audience, related_name="articles", blank=True)
    related = models.ManyToManyField("self", symmetrical=False, blank=True)
    legal_guidance = models.BooleanField(
        default=False,
        help_text="Explains legal obligations: publishing needs a second editor.",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the article is accurate."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Author of the current revision; may not publish legal guidance.",
    )
    legal_flag_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who removed the legal-guidance mark since the last publication.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_updated_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last published content change."
    )
    rendered_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title, summary and section headings only: a cheap first ranking.",
    )
    source_checksum = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Of the content file last loaded."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ("title",)
        indexes = (
            PortableGinIndex(fields=["search_vector"], name="education_article_search"),
            # Search looks only at published articles: this index answers both conditions.
            PortableGinIndex(
                fields=["search_vector"],
                name="education_article_pub_search",
                condition=models.Q(status="published"),
            ),
            models.Index(fields=["status", "title"], name="education_article_status"),
        )
        permissions = (("publish_article", "Can publish and archive guidance articles"),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:article", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ArticleRevision(models.Model):
    """One saved version of an article's content. Append-only; number 1 is the first."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    body = models.TextField()
    references = models.JSONField(default=list)
    changed_fields = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("article", "-number")
        constraints = (
            models.UniqueConstraint(fields=("article", "number"), name="education_revision_number"),
        )

    def __str__(self) -> str:
        return f"{self.article} revision {self.number}"


class ArticleFeedback(models.Model):
    """An anonymous "Was this helpful?" answer. Nothing identifying is stored."""

    COMMENT_MAX_LENGTH = 1000

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "article feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"


class ReviewReminder(models.Model):
    """Editors were reminded that an article is due for review. One per review cycle: the
    cycle is identified by the `last_reviewed` date the reminder was about."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reminders")
    reviewed_on = models.DateField(help_text="The article's last-reviewed date at the time.")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ("-sent_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("article", "reviewed_on"), name="education_one_reminder_per_cycle"
            ),
        )

    def __str__(self) -> str:
        return f"Review reminder for {self.article} ({self.reviewed_on})"


# -- training ------------------------------------------------------------------------------


class Module(models.Model):
    """A training module: an ordered set of articles and a quiz.

    `version` is the current quiz version; it goes up by one whenever the questions, their
    choices, the correct answers or the pass mark change (`services.module_refresh_version`).
    Completions keep the version that was passed.
    """

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    pass_mark = models.PositiveSmallIntegerField(
        default=80, help_text="Percentage of correct answers needed to pass."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    published = models.BooleanField(default=False, help_text="Shown on the public site.")
    articles = models.ManyToManyField(Article, through="ModuleArticle", related_name="modules")
    created_at = models.DateTimeField(auto_now_add=True)
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:module", args=[self.slug])


class ModuleArticle(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="module_articles")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("module", "position")
        constraints = (
            models.UniqueConstraint(fields=("module", "article"), name="education_module_article"),
        )

    def __str__(self) -> str:
        return f"{self.module}: {self.article}"


class ModuleVersion(models.Model):
    """A snapshot of a module's quiz at one version, for the record."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ("module", "-number")
        constraints = (
            models.UniqueConstraint(fields=("module", "number"), name="education_module_version"),
        )

    def __str__(self) -> str:
        return f"{self.module} v{self.number}"


class Question(models.Model):
    """A question of a module's current quiz, with one correct choice."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    explanation = models.TextField(help_text="Why the right answer is right; shown after submit.")

    class Meta:
        ordering = ("module", "position", "id")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ("question", "position", "id")

    def __str__(self) -> str:
        return self.text[:80]


class QuizAttempt(models.Model):
    """One submitted quiz. `results` keeps each question as it was asked, the answer given,
    the right answer and the explanation, so the result stays readable after the quiz
    changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    module_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=list)
    correct_count = models.PositiveIntegerField()
    question_count = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField(help_text="Percentage of correct answers.")
    passed = models.BooleanField()
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-submitted_at",)
        indexes = (models.Index(fields=("user", "module")),)

    def __str__(self) -> str:
        return f"{self.user} {self.module} v{self.module_version}: {self.score}%"


class Completion(models.Model):
    """A user passed one version of a module. The certificate number is public-safe."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    version = models.PositiveIntegerField()
    completed_at = models.DateTimeField()
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ("-completed_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("user", "module", "version"), name="education_one_completion_per_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.certificate_number}: {self.user} {self.module} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("education:certificate", args=[self.certificate_number])


class RequiredModule(models.Model):
    """A module that applicants of one business type must complete for the known-shipper
    application. Data that supervisors maintain in the admin."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="requirements")
    business_type = models.CharField(max_length=30, choices=BUSINESS_TYPE_CHOICES)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("business_type", "module__title")
        constraints = (
            models.UniqueConstraint(
                fields=("module", "business_type"), name="education_required_module"
            ),
        )

    def __str__(self) -> str:
        return f"{self.module} required for {self.get_business_type_display()}"
