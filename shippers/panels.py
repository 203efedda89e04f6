"""Panels that apps above shippers add to the portal's application pages.

Shippers does not know what education or enforcement keep about an applicant; an app that
has something the applicant must see or do (the required training, say) registers a
panel in its `AppConfig.ready()`, as vetting checks are registered. A panel is a template
and the context a function builds for one application; shippers renders every
registered panel in `order` on the application page, on each step and on the review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from shippers.models import Application


@dataclass(frozen=True)
class PanelSpec:
    key: str
    template: str
    # The panel's context for one application; None leaves the panel out.
    context: Callable[[Application], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, PanelSpec] = {}


def register_panel(spec: PanelSpec) -> None:
    """Add a panel. Registering the same spec again does nothing; another panel under a key
    already taken is a programming error."""
    current = _PANELS.get(spec.key)
    if current is not None and current != spec:
        raise ValueError(f"A different application panel is already registered as {spec.key!r}.")
    _PANELS[spec.key] = spec


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def registered_panels() -> list[PanelSpec]:
    return sorted(_PANELS.values(), key=lambda spec: (spec.order, spec.key))


def application_panels(*, application: Application, request: HttpRequest) -> list[SafeString]:
    """Every registered panel rendered for this application (those with nothing to say are
    left out)."""
    rendered = []
    for spec in registered_panels():
        context = spec.context(application)
        if context is None:
            continue
        rendered.append(
            SafeString(
                render_to_string(
                    spec.template, {"application": application, **context}, request=request
                )
            )
        )
    return rendered
