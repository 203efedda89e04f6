"""Help text written by supervisors is shown sanitised, never as raw HTML."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string

HOSTILE = (
    "Keep seals <strong>intact</strong>. <script>alert(1)</script>"
    '<img src=x onerror=alert(2)> <a href="javascript:alert(3)">bad</a> '
    '<a href="https://www.cbp.gov/ctpat">CTPAT criteria</a>'
)


class QuestionForm(forms.Form):
    answer = forms.CharField(help_text=HOSTILE)


def test_field_help_text_keeps_simple_markup_and_drops_scripts() -> None:
    html = render_to_string("includes/field.html", {"field": QuestionForm()["answer"]})
    assert "<strong>intact</strong>" in html
    assert (
        '<a href="https://www.cbp.gov/ctpat" rel="noopener noreferrer">CTPAT criteria</a>' in html
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
