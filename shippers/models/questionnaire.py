"""The security-profile questionnaire, by versions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class SecurityQuestionnaire(models.Model):
    """A version of the security-profile questionnaire. Supervisors revise it by making a
    new version; an application keeps the version it answered."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    minimum_must_score = models.PositiveSmallIntegerField(
        default=100, validators=[MaxValueValidator(100)]
    )
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_current_at = models.DateTimeField(null=True, blank=True, editable=False)
    made_current_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ("-version",)
        constraints = (
            models.UniqueConstraint(
                fields=("is_current",),
                condition=models.Q(is_current=True),
                name="one_current_questionnaire",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class SecurityQuestion(models.Model):
    class Requirement(models.TextChoices):
        MUST = "must", "Must"
        SHOULD = "should", "Should"

    questionnaire = models.ForeignKey(
        SecurityQuestionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    area_code = models.CharField(max_length=40)
    area_name = models.CharField(max_length=120)
    code = models.CharField(max_length=12)
    text = models.TextField()
    help = models.TextField(blank=True)
    requirement = models.CharField(max_length=6, choices=Requirement.choices)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    allow_not_applicable = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("questionnaire", "order")
        constraints = (
            models.UniqueConstraint(
                fields=("questionnaire", "code"), name="question_code_once_per_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"
