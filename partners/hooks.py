"""What the partners app adds to shippers through `shippers.extensions`: the recognitions
in the verify answer and on the certificate, and the questionnaire areas a recognised
authorisation covers (when its program is set to let applicants skip them)."""

from __future__ import annotations

from partners.models import RecognisedProgram
from partners.recognitions import public_recognition, recognitions_of
from shippers.models import Application, Certificate


def verify_recognitions(certificate: Certificate) -> dict[str, object]:
    rows = recognitions_of([certificate.organisation]).get(certificate.organisation_id, [])
    return {"recognitions": [public_recognition(row) for row in rows]}


def areas_covered_by_recognition(application: Application) -> dict[str, str]:
    """Area code -> why, for the applicant's confirmed recognitions whose program lets
    applicants skip the areas the MRA covers."""
    rows = recognitions_of([application.organisation]).get(application.organisation_id, [])
    if not rows:
        return {}
    programs = RecognisedProgram.objects.filter(
        code__in={row["program"] for row in rows}, skip_covered_areas=True
    )
    covered: dict[str, str] = {}
    for program in programs:
        held = next(row for row in rows if row["program"] == program.code)
        why = f"covered by your {program.name} authorisation {held['authorisation_type']}".strip()
        for area in program.covered_areas or []:
            covered.setdefault(str(area), why)
    return covered
