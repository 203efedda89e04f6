"""Seed the statutory figures and the mitigation guidelines (data supervisors maintain), and
grant the enforcement permissions to the roles.

Citations are given per row. Two kinds of row carry a note asking for verification before
reliance: the de minimis misuse penalty (2025 law) and the single prior-disclosure interest
rate, which stands in for the quarterly 26 USC 6621 rates (a documented simplification).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CMA = date(1993, 12, 8)  # Customs Modernization Act (Pub. L. 103-182): 1592 in its current form.
ACPA = date(1996, 7, 2)  # Anticounterfeiting Consumer Protection Act (Pub. L. 104-153): 1526(f).
DE_MINIMIS_LAW = date(2025, 7, 4)  # Pub. L. 119-21 (2025).
VERIFY = "Verify the citation and effective date against the enacted text before relying on it."

FIGURES = [
    # key, value, unit, description, citation, effective_from, notes
    ("1592.fraud.domestic_value_share", "1.00", "share", "Fraud: maximum as a share of the domestic value", "19 USC 1592(c)(1)", CMA, ""),
    ("1592.gross_negligence.loss_multiple", "4", "multiple", "Gross negligence: multiple of the loss of duties, taxes and fees (capped at the domestic value)", "19 USC 1592(c)(2)(A)", CMA, ""),
    ("1592.gross_negligence.dutiable_value_share", "0.40", "share", "Gross negligence without a loss: share of the dutiable value", "19 USC 1592(c)(2)(B)", CMA, ""),
    ("1592.negligence.loss_multiple", "2", "multiple", "Negligence: multiple of the loss of duties, taxes and fees (capped at the domestic value)", "19 USC 1592(c)(3)(A)", CMA, ""),
    ("1592.negligence.dutiable_value_share", "0.20", "share", "Negligence without a loss: share of the dutiable value", "19 USC 1592(c)(3)(B)", CMA, ""),
    ("1592.prior_disclosure.fraud.loss_share", "1.00", "share", "Prior disclosure, fraud: share of the loss", "19 USC 1592(c)(4)(A)(i)", CMA, ""),
    ("1592.prior_disclosure.fraud.dutiable_value_share", "0.10", "share", "Prior disclosure, fraud without a loss: share of the dutiable value", "19 USC 1592(c)(4)(A)(ii)", CMA, ""),
    ("1592.prior_disclosure.interest_rate", "0.07", "annual_rate", "Prior disclosure, negligence or gross negligence: annual interest rate on the loss", "19 USC 1592(c)(4)(B); 26 USC 6621", CMA, "Simplification: one annual rate (simple interest, 365-day year) stands in for the quarterly 26 USC 6621 underpayment rates; add a row to change it from a date."),
    ("1526f.first_seizure.msrp_multiple", "1", "multiple", "Counterfeits, first seizure: multiple of the MSRP of the genuine goods", "19 USC 1526(f)(1)", ACPA, ""),
    ("1526f.later_seizure.msrp_multiple", "2", "multiple", "Counterfeits, second and later seizures: multiple of the MSRP of the genuine goods", "19 USC 1526(f)(2)", ACPA, ""),
    ("1595a_b.value_share", "1.00", "share", "Aiding unlawful importation: share of the value of the merchandise", "19 USC 1595a(b)", CMA, ""),
    ("prohibited.domestic_value_share", "1.00", "share", "Prohibited or restricted goods: share of the domestic value", "19 USC 1595a(c)", CMA, "Modelled as a penalty equal to the domestic value."),
    ("de_minimis.first_violation_max", "5000", "USD", "De minimis misuse: maximum for a first violation", "Pub. L. 119-21 (2025), 19 USC 1321", DE_MINIMIS_LAW, VERIFY),
    ("de_minimis.later_violation_max", "10000", "USD", "De minimis misuse: maximum for each later violation", "Pub. L. 119-21 (2025), 19 USC 1321", DE_MINIMIS_LAW, VERIFY),
    ("deadline.prepenalty_response_days", "30", "days", "Reply to a pre-penalty notice", "19 USC 1592(b)(1); 19 CFR 162.78(b)", CMA, ""),
    ("deadline.prepenalty_minimum_days", "7", "days", "Shortest reply period when under a year remains before the statute of limitations", "19 CFR 162.78(b)", CMA, ""),
    ("deadline.prepenalty_shortening_window_days", "365", "days", "The reply period may be shortened when fewer days than this remain before the statute of limitations", "19 CFR 162.78(b)", CMA, ""),
    ("deadline.petition_days", "60", "days", "Petition for relief after a penalty notice", "19 CFR 171.2(b)(2)", CMA, ""),
    ("deadline.seizure_petition_days", "30", "days", "Petition for relief from a seizure", "19 CFR 171.2(b)(1)", CMA, ""),
    ("deadline.supplemental_petition_days", "60", "days", "Supplemental petition after a decision", "19 CFR 171.61", CMA, ""),
    ("deadline.payment_days", "60", "days", "Longest period a decision gives to pay", "19 CFR 171.21; 19 CFR 171.61", CMA, "Decisions usually give up to 60 days."),
    ("limitations.years", "5", "years", "Statute of limitations from the violation (fraud: from discovery)", "19 USC 1621", CMA, ""),
]

APP_B = "19 CFR Part 171, Appendix B"
GUIDELINE_START = date(2000, 1, 1)
GUIDELINES = [
    # culpability, situation, basis, low, high
    ("fraud", "loss", "loss", "5", "8"),
    ("fraud", "no_loss", "dutiable_value", "0.50", "0.80"),
    ("gross_negligence", "loss", "loss", "2.5", "4"),
    ("gross_negligence", "no_loss", "dutiable_value", "0.25", "0.40"),
    ("negligence", "loss", "loss", "0.5", "2"),
    ("negligence", "no_loss", "dutiable_value", "0.05", "0.20"),
]


def seed(apps, schema_editor):
    figure_model = apps.get_model("enforcement", "StatutoryFigure")
    guideline_model = apps.get_model("enforcement", "MitigationGuideline")
    for key, value, unit, description, citation, effective_from, notes in FIGURES:
        figure_model.objects.update_or_create(
            key=key,
            effective_from=effective_from,
            defaults={
                "value": Decimal(value),
                "unit": unit,
                "description": description,
                "citation": citation,
                "notes": notes,
            },
        )
    for culpability, situation, basis, low, high in GUIDELINES:
        guideline_model.objects.get_or_create(
            violation_type="1592",
            culpability=culpability,
            situation=situation,
            effective_from=GUIDELINE_START,
            defaults={
                "basis": basis,
                "low_share": Decimal(low),
                "high_share": Decimal(high),
                "citation": APP_B,
                "notes": "Mitigated range, never above the statutory maximum.",
            },
        )


def grant_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
