"""Forms of the public guidance and training pages (rendered with the USWDS renderer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from education.models import ArticleFeedback, Module, Question

QUIZ_TOKEN_SALT = "education.quiz"  # noqa: S105 (a signing namespace, not a secret)


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's ``attrs.html`` writes them: in order, escaped, ``True`` as a bare
    name, ``False`` left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class OptionsSelect(forms.Select):
    """Django's select markup written in Python: its template includes a template for every
    option and another for every option's attributes, which made the topic and audience
    lists most of the search page's rendering time. Grouped choices go to Django's template."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        if any(isinstance(label, list | tuple) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        options, has_selected = [], False
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and option in values
            has_selected |= selected
            options.append(
                f'<option value="{conditional_escape(option)}"{" selected" if selected else ""}>'
                f"{conditional_escape(str(label))}</option>"
            )
        # Every name, value and label is escaped above.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{_attrs(widget_attrs)}>{"".join(options)}</select>'
        )


class PlainTextInput(forms.TextInput):
    """Django's text input written in Python (the same markup as its template, without the
    template and its included attributes template)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        shown = self.format_value(value)
        value_attr = "" if shown is None else f' value="{conditional_escape(shown)}"'
        attributes = _attrs(self.build_attrs(self.attrs, attrs))
        kind = escape(self.input_type)
        # Every name, value and attribute is escaped above.
        return mark_safe(  # noqa: S308
            f'<input type="{kind}" name="{escape(name)}"{value_attr}{attributes}>'
        )


class SearchForm(forms.Form):
    """The search page's form. Without errors its field groups are written in Python, the
    same markup as `includes/field.html` gives them (the form is on every search); a form
    with errors is rendered by the templates, error summary and all."""

    q = forms.CharField(
        label="Search guidance", max_length=200, required=False, widget=PlainTextInput
    )
    topic = forms.ChoiceField(label="Topic", required=False, widget=OptionsSelect)
    audience = forms.ChoiceField(label="Audience", required=False, widget=OptionsSelect)

    def __init__(
        self,
        *args: Any,
        topics: Iterable[tuple[str, str]] = (),
        audiences: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        """`topics` and `audiences`: (slug, name) pairs, in the order listed."""
        super().__init__(*args, **kwargs)
        topic_field, audience_field = self.fields["topic"], self.fields["audience"]
        assert isinstance(topic_field, forms.ChoiceField)
        assert isinstance(audience_field, forms.ChoiceField)
        topic_field.choices = [("", "All topics"), *topics]
        audience_field.choices = [("", "Everyone"), *audiences]

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        if template_name is not None or context is not None or self.errors:
            return super().render(template_name, context, renderer)
        return mark_safe("".join(_field_group(field) for field in self))  # noqa: S308

    # Django binds these to its own `render`.
    __str__ = render
    __html__ = render


def _field_group(field: forms.BoundField) -> SafeString:
    """A field without errors or help text as `includes/field.html` writes it."""
    assert not field.errors
    assert not field.help_text
    required = (
        mark_safe(' <abbr title="required" class="usa-hint usa-hint--required">*</abbr>')
        if field.field.required
        else ""
    )
    return format_html(
        '<div class="usa-form-group">\n  <label class="usa-label" for="{}">{}{}</label>\n'
        "  {}\n</div>",
        field.auto_id,
        field.label,
        required,
        field.as_widget(),
    )


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
