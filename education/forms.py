"""Forms of the public guidance and training pages (rendered with the USWDS renderer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from education.models import ArticleFeedback, Module, Question

QUIZ_TOKEN_SALT = "education.quiz"  # noqa: S105 (a signing namespace, not a secret)


class OptionsSelect(forms.Select):
    """Django's select markup written in Python: its template includes a template for every
    option and another for every option's attributes, which made the topic and audience
    lists most of the search page's rendering time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search guidance", max_length=200, required=False)
    topic = forms.ChoiceField(label="Topic", required=False, widget=OptionsSelect)
    audience = forms.ChoiceField(label="Audience", required=False, widget=OptionsSelect)

    def __init__(self, *args: Any, topics: Any = (), audiences: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_field, audience_field = self.fields["topic"], self.fields["audience"]
        assert isinstance(topic_field, forms.ChoiceField)
        assert isinstance(audience_field, forms.ChoiceField)
        topic_field.choices = [("", "All topics"), *[(t.slug, t.name) for t in topics]]
        audience_field.choices = [
            ("", "Everyone"),
            *[(a.slug, a.name) for a in audiences],
        ]


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label="Was this page helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="How could we improve it? (optional)",
        help_text=(
            "Do not include personal or business details. "
            f"Up to {ArticleFeedback.COMMENT_MAX_LENGTH} characters."
        ),
        max_length=ArticleFeedback.COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuizForm(forms.Form):
    """One radio group per question, plus a signed token holding the quiz version and the
    time the quiz was shown."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, module: Module, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.module = module
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=f"{number}. {question.text}",
                choices=[(str(choice.pk), choice.text) for choice in question.choices.all()],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer."},
            )
        if not self.is_bound:
            self.initial["token"] = signing.dumps(
                {
                    "module": module.pk,
                    "version": module.version,
                    "started": timezone.now().isoformat(),
                },
                salt=QUIZ_TOKEN_SALT,
            )

    def clean_token(self) -> dict[str, Any]:
        try:
            data = signing.loads(
                self.cleaned_data["token"], salt=QUIZ_TOKEN_SALT, max_age=60 * 60 * 24
            )
        except signing.BadSignature as error:
            raise forms.ValidationError("The quiz expired. Please start it again.") from error
        if data.get("module") != self.module.pk:
            raise forms.ValidationError("This answer sheet belongs to another quiz.")
        return dict(data)

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("question_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("question_")
        }
