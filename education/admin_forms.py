"""Forms of the education admin: the article form (official references written one per
line) and the check that a question keeps exactly one correct choice of at least two."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from education import services
from education.models import Article


def references_to_text(references: list[dict[str, str]]) -> str:
    return "\n".join(
        " | ".join([item.get("citation", ""), item.get("title", ""), item.get("url", "")])
        for item in references
    )


def references_from_text(text: str) -> list[dict[str, str]]:
    references = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3:
            raise ValidationError(
                f"Line {number}: write citation | title | link (three parts separated by |)."
            )
        references.append({"citation": parts[0], "title": parts[1], "url": parts[2]})
    return services.clean_references(references)


class ArticleAdminForm(forms.ModelForm):
    references_text = forms.CharField(
        label="Official references",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 100}),
        help_text=(
            "One per line: citation | title | link, e.g. "
            "19 USC 1484 | Entry of merchandise | https://www.law.cornell.edu/uscode/text/19/1484"
        ),
    )
    note = forms.CharField(
        label="Revision note",
        required=False,
        max_length=300,
        help_text="What you changed and why (kept in the revision history).",
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "summary",
            "body",
            "references_text",
            "topics",
            "audiences",
            "related",
            "legal_guidance",
            "last_reviewed",
            "note",
        )
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # View-only users get a form without fields (the admin shows them read-only).
        if self.instance.pk and "references_text" in self.fields:
            self.fields["references_text"].initial = references_to_text(self.instance.references)
        related = self.fields.get("related")
        if self.instance.pk and isinstance(related, forms.ModelMultipleChoiceField):
            related.queryset = Article.objects.exclude(pk=self.instance.pk)

    def clean_references_text(self) -> list[dict[str, str]]:
        try:
            return references_from_text(self.cleaned_data["references_text"])
        except ValidationError as error:
            messages_list = (
                error.message_dict.get("references", error.messages)
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise ValidationError(messages_list) from error


class ChoiceInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if len(kept) < 2:
            raise ValidationError("A question needs at least two choices.")
        if sum(1 for form in kept if form.cleaned_data.get("is_correct")) != 1:
            raise ValidationError("Mark exactly one choice as correct.")
