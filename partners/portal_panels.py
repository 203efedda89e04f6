"""Partners' panel on the portal's application pages: the recognised authorisations the
applicant holds (a partner program's list names its identifier under its name) and the
questionnaire areas the MRA lets it skip. Registered in `PartnersConfig.ready()` (see
`shippers.panels`)."""

from __future__ import annotations

from typing import Any

from partners.hooks import areas_covered_by_recognition
from partners.recognitions import recognitions_of
from shippers.models import Application
from shippers.panels import PanelSpec


def recognition_panel_context(application: Application) -> dict[str, Any] | None:
    rows = recognitions_of([application.organisation]).get(application.organisation_id, [])
    if not rows:
        return None
    covered = areas_covered_by_recognition(application)
    names = dict(
        application.questionnaire.questions.filter(area_code__in=covered)
        .values_list("area_code", "area_name")
        .distinct()
    )
    return {
        "recognitions": rows,
        "skipped_areas": [
            {"code": code, "name": names.get(code, code), "why": why}
            for code, why in covered.items()
        ],
    }


SPEC = PanelSpec(
    key="recognised_authorisations",
    template="partners/includes/application_recognition_panel.html",
    context=recognition_panel_context,
    order=20,
)
