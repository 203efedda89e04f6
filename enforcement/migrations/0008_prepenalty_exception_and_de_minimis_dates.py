"""Legal corrections (issue 13), second part:

* The exceptions of 19 USC 1592(b)(1)(B), under which a 19 USC 1592 penalty notice needs no
  pre-penalty notice, become an explicit choice on the case (`prepenalty_exception`), with
  the USD 1,000 ceiling of (B)(ii) as a statutory figure.
* The de minimis misuse penalty (19 USC 1321(c), added by Pub. L. 119-21, title VII,
  section 70531(a)(1)) took effect 30 days after the enactment of 4 July 2025 (section
  70531(a)(2)): on 3 August 2025, not on 4 July 2025 as seeded. Section 70531(b) strikes
  subsection (c) again from 1 July 2027, when de minimis ends for commercial shipments, so
  the two figures end on 30 June 2027. Seed rows corrected in place (a transcription error,
  not a change in the law). A de minimis case whose violation predates 3 August 2025 gets
  an internal note and an audit event: no penalty under 1321(c) can be computed for it.
* The 26 USC 6621 underpayment rate for 2026-Q1: 7% (Rev. Rul. 2025-22, unchanged from
  2025-Q4).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

from core.chain import append_in_migration

CMA = date(1993, 12, 8)
SEEDED = date(2025, 7, 4)
IN_FORCE = date(2025, 8, 3)
STRUCK = date(2027, 6, 30)
DE_MINIMIS_CITATION = (
    "19 USC 1321(c), added by Pub. L. 119-21, title VII, sec. 70531(a)(1); in force 30 days "
    "after enactment (sec. 70531(a)(2)); struck from 2027-07-01 (sec. 70531(b))"
)
DE_MINIMIS_NOTES = (
    "Pub. L. 119-21 was enacted on 4 July 2025; the penalty applies from 3 August 2025 and "
    "ends when section 70531(b) strikes 19 USC 1321(c) on 1 July 2027."
)
NOTE = (
    "The de minimis misuse penalty (19 USC 1321(c)) took effect on 3 August 2025, 30 days "
    "after Pub. L. 119-21 was enacted (section 70531(a)(2)); it was recorded as in force from "
    "4 July 2025. This case's violation date is earlier, so no penalty under 1321(c) can be "
    "computed for it: review the violation type or the date."
)


def figures(apps, schema_editor):
    figure = apps.get_model("enforcement", "StatutoryFigure")
    figure.objects.get_or_create(
        key="1592.prepenalty_exception.claim_max",
        effective_from=CMA,
        defaults={
            "value": Decimal("1000"),
            "unit": "USD",
            "description": "A 19 USC 1592 penalty claim at or under this amount needs no "
            "pre-penalty notice",
            "citation": "19 USC 1592(b)(1)(B)(ii)",
        },
    )
    for key in ("de_minimis.first_violation_max", "de_minimis.later_violation_max"):
        if figure.objects.filter(key=key, effective_from=IN_FORCE).exists():
            continue
        figure.objects.filter(key=key, effective_from=SEEDED).update(
            effective_from=IN_FORCE,
            effective_to=STRUCK,
            citation=DE_MINIMIS_CITATION,
            notes=DE_MINIMIS_NOTES,
        )
    figure.objects.get_or_create(
        key="6621.underpayment_rate",
        effective_from=date(2026, 1, 1),
        defaults={
            "value": Decimal("0.07"),
            "unit": "annual_rate",
            "effective_to": date(2026, 3, 31),
            "description": "Underpayment interest rate for 2026-Q1",
            "citation": "26 USC 6621(a)(2); IRS rate for 2026-Q1 (Rev. Rul. 2025-22)",
            "notes": "Compounded daily (26 USC 6622(a)).",
        },
    )


def early_de_minimis_cases(apps, schema_editor):
    case_model = apps.get_model("enforcement", "Case")
    note_model = apps.get_model("enforcement", "CaseNote")
    cases = (
        case_model.objects.filter(violation_type="de_minimis", violation_date__lt=IN_FORCE)
        .select_related("organisation")
        .order_by("pk")
    )
    rows = []
    for case in cases:
        note_model.objects.create(case=case, author=case.opened_by, text=NOTE)
        respondent = case.organisation.legal_name if case.organisation_id else case.party_name
        rows.append(
            {
                "at": timezone.now(),
                "actor_id": None,
                "actor_label": "",
                "action": "case.note_added",
                "target_type": "enforcement.case",
                "target_id": str(case.pk),
                "target_label": f"{case.number} ({respondent})"[:200],
                "organisation_id": case.organisation_id,
                "changes": {},
                "reason": NOTE,
                "detail": {},
                "internal": True,
            }
        )
    if rows:
        append_in_migration(apps, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only"),
        ("enforcement", "0007_legal_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="prepenalty_exception",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "noncommercial",
                        "The importation is noncommercial in nature (19 USC 1592(b)(1)(B)(i))",
                    ),
                    (
                        "claim_1000_or_less",
                        "The penalty claim is USD 1,000 or less (19 USC 1592(b)(1)(B)(ii))",
                    ),
                ],
                editable=False,
                help_text="The exception of 19 USC 1592(b)(1)(B) under which a 1592 penalty "
                "notice was issued without a pre-penalty notice.",
                max_length=20,
            ),
        ),
        migrations.RunPython(figures, migrations.RunPython.noop),
        migrations.RunPython(early_de_minimis_cases, migrations.RunPython.noop, elidable=False),
    ]
