"""Form rendering in the US Web Design System: every field gets USWDS classes, an
accessible label, hint and error message (Django links them with aria-describedby);
every form an error summary that links to
the fields in error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.FileInput: "usa-file-input",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
}


class PortalBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css_class = "usa-input"
        for widget_type, widget_class in _WIDGET_CLASSES.items():
            if isinstance(widget, widget_type):
                css_class = widget_class
                break
        if self.errors and css_class in {"usa-input", "usa-select", "usa-textarea"}:
            css_class += f" {css_class}--error"
        if css_class:
            attrs["class"] = f"{attrs.get('class', '')} {css_class}".strip()
        return attrs


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = PortalBoundField
