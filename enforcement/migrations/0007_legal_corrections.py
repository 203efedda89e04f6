"""Legal corrections (issue 13), as data:

* The quarterly 26 USC 6621 underpayment rates from 2018-Q1 to 2025-Q4, one row per quarter
  (`6621.underpayment_rate`), replacing the single 7% stand-in for prior-disclosure
  interest. Later quarters are added by a supervisor as the IRS announces them.
* New figures: six years for a claim on a bond (28 USC 2415(a)); the petition period's
  shortening (not under 7 working days when under 180 days of limitations remain, 19 CFR
  171.2(e)) and the longest period an officer may give (90 days, 19 CFR 171.2(c)).
* Citations corrected on the seeded rows: the 30/7-day reply rule is 19 CFR 162.78(a);
  1526(f) first seizure is (f)(2), later seizures (f)(3); Appendix B to Part 171 in its
  current form took effect 2000-07-24 (65 FR 39087, T.D. 00-42).
* No "prohibited goods" money penalty: 19 USC 1595a(c) provides seizure and forfeiture.
  Every case of that type becomes a 19 USC 1595a(b) case (the money penalty for unlawful
  importation), with an internal note on the case and an audit event saying why, so the
  officer reviews the amount.

The figures are seed rows of migration 0002 corrected in place: that is a correction of a
transcription, not a change in the law, so no new version is recorded. Not reversible.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from core.chain import append_in_migration
from enforcement.deadlines import limitations_date

CMA = date(1993, 12, 8)
ACPA = date(1996, 7, 2)
FCCA = date(1966, 7, 18)  # 28 USC 2415 as enacted by Pub. L. 89-505.

# Underpayment rate (26 USC 6621(a)(2): federal short-term rate + 3 points), by quarter,
# as the IRS announced it each quarter.
RATES = {
    2018: (4, 5, 5, 5),
    2019: (6, 6, 5, 5),
    2020: (5, 5, 3, 3),
    2021: (3, 3, 3, 3),
    2022: (3, 4, 5, 6),
    2023: (7, 7, 7, 8),
    2024: (8, 8, 8, 8),
    2025: (7, 7, 7, 7),
}

NEW_FIGURES = [
    ("limitations.bond_claim_years", "6", "years", "Claim on a bond (liquidated damages): years from the breach", "28 USC 2415(a)", FCCA),
    ("deadline.petition_minimum_working_days", "7", "days", "Shortest petition period (working days) when under 180 days remain before the statute of limitations", "19 CFR 171.2(e)", CMA),
    ("deadline.petition_shortening_window_days", "180", "days", "The petition period may be shortened when fewer days than this remain before the statute of limitations", "19 CFR 171.2(e)", CMA),
    ("deadline.petition_longest_days", "90", "days", "Longest petition period an officer may give in a complex case, with a reason", "19 CFR 171.2(c) (extension when the circumstances warrant); program limit", CMA),
]

CITATIONS = {
    "deadline.prepenalty_response_days": "19 USC 1592(b)(1); 19 CFR 162.78(a)",
    "deadline.prepenalty_minimum_days": "19 CFR 162.78(a)",
    "deadline.prepenalty_shortening_window_days": "19 CFR 162.78(a)",
    "1526f.first_seizure.msrp_multiple": "19 USC 1526(f)(2)",
    "1526f.later_seizure.msrp_multiple": "19 USC 1526(f)(3)",
    "limitations.years": "19 USC 1621",
}

APP_B_OLD_START = date(2000, 1, 1)
APP_B_START = date(2000, 7, 24)
APP_B = "19 CFR Part 171, Appendix B (65 FR 39087, effective 2000-07-24)"

NOTE = (
    "This case was opened as 'Prohibited or restricted goods' with a money penalty of 100% of "
    "the domestic value under 19 USC 1595a(c). That subsection provides seizure and "
    "forfeiture, not a money penalty (mitigated release is a petition outcome, 19 USC 1618). "
    "The case is now a 19 USC 1595a(b) case, the money penalty for unlawful importation: "
    "review the facts and any amount proposed or assessed; notices already issued keep "
    "their text."
)


def quarters():
    for year, rates in RATES.items():
        for index, rate in enumerate(rates):
            start = date(year, 3 * index + 1, 1)
            end = date(year + 1, 1, 1) if index == 3 else date(year, 3 * index + 4, 1)
            yield year, index + 1, start, end - timedelta(days=1), Decimal(rate) / 100


def figures(apps, schema_editor):
    figure = apps.get_model("enforcement", "StatutoryFigure")
    for year, quarter, start, end, rate in quarters():
        figure.objects.get_or_create(
            key="6621.underpayment_rate",
            effective_from=start,
            defaults={
                "value": rate,
                "unit": "annual_rate",
                "effective_to": end,
                "description": f"Underpayment interest rate for {year}-Q{quarter}",
                "citation": f"26 USC 6621(a)(2); IRS rate for {year}-Q{quarter}",
                "notes": "Compounded daily (26 USC 6622(a)).",
            },
        )
    for key, value, unit, description, citation, start in NEW_FIGURES:
        figure.objects.get_or_create(
            key=key,
            effective_from=start,
            defaults={
                "value": Decimal(value),
                "unit": unit,
                "description": description,
                "citation": citation,
            },
        )
    for key, citation in CITATIONS.items():
        figure.objects.filter(key=key, effective_from__in=[CMA, ACPA]).update(citation=citation)
    figure.objects.filter(
        key="1592.prior_disclosure.interest_rate", effective_to__isnull=True
    ).update(
        effective_to=date(2017, 12, 31),
        notes="Replaced by the quarterly 26 USC 6621 rates (6621.underpayment_rate).",
    )
    guideline = apps.get_model("enforcement", "MitigationGuideline")
    guideline.objects.filter(
        effective_from=APP_B_OLD_START, citation="19 CFR Part 171, Appendix B"
    ).update(effective_from=APP_B_START, citation=APP_B)


def recompute_limitations(apps, schema_editor):
    """Each case's statute of limitations by the rule of its violation type (run after the
    type corrections): bond claims six years, other non-1592 penalties from discovery."""
    case_model = apps.get_model("enforcement", "Case")
    for case in case_model.objects.order_by("pk").iterator(chunk_size=500):
        computed = limitations_date(
            violation_type=case.violation_type,
            violation_date=case.violation_date,
            discovery_date=case.discovery_date,
            is_fraud=case.culpability == "fraud",
            years=5,
            bond_years=6,
        )
        case.limitations_date = computed.due_on
        case.limitations_rule = computed.rule[:300]
        case.save(update_fields=["limitations_date", "limitations_rule"])


def prohibited_cases(apps, schema_editor):
    case_model = apps.get_model("enforcement", "Case")
    note_model = apps.get_model("enforcement", "CaseNote")
    cases = list(
        case_model.objects.filter(violation_type="prohibited")
        .select_related("organisation", "opened_by")
        .order_by("pk")
    )
    rows = []
    for case in cases:
        case.violation_type = "1595a_b"
        case.save(update_fields=["violation_type"])
        note_model.objects.create(case=case, author=case.opened_by, text=NOTE)
        respondent = case.organisation.legal_name if case.organisation_id else case.party_name
        rows.append(
            {
                "at": timezone.now(),
                "actor_id": None,
                "actor_label": "",
                "action": "case.facts_updated",
                "target_type": "enforcement.case",
                "target_id": str(case.pk),
                "target_label": f"{case.number} ({respondent})"[:200],
                "organisation_id": case.organisation_id,
                "changes": {"violation_type": {"before": "prohibited", "after": "1595a_b"}},
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
        ("enforcement", "0006_prepenalty_reply_and_limitations_rule"),
    ]

    operations = [
        migrations.RunPython(figures, migrations.RunPython.noop),
        migrations.RunPython(prohibited_cases, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(recompute_limitations, migrations.RunPython.noop),
    ]
