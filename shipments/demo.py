"""Demo shipments (idempotent): an API key for a known shipper (printed once), a few
thousand shipments over recent days filed through the batch path and decided by targeting
(some hit rules, some are held), and findings on some of those sent to officers, so that
the queue, the rule precision, the compliance rate and the dashboard have something to show.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from apikeys.models import OrganisationAPIKey
from apikeys.services import api_key_create
from shipments import officers
from shipments.models import Batch, FilerKind, FilerRegistration, Shipment, ShipmentStatus
from shipments.models.examination import ExaminationFinding, FindingKind
from shipments.selectors import OFFICER_DECISIONS, filing_refusal
from shipments.services import batch_file
from shippers.models import Organisation
from shippers.workflow import ACTIVE_STATUSES

DEMO_SHIPPER = "Harbourline Parcels Ltd"
DEMO_OFFICER = "officer@demo.example"
KEY_NAME = "Demo integration"
COUNT = 3000
DAYS_BACK = 12
DAYS_AHEAD = 3
BATCH_SIZE = 500
FINDINGS = 60
PORTS = ("4701", "2720", "4772", "1704", "3901", "5301", "2704", "0901")

# (description, HS code, origin, unit value): ordinary goods, and some that rules notice.
ORDINARY = (
    ("Cotton T-shirt, knitted", "610910", "CN", 9.5),
    ("Ceramic coffee mug", "691200", "PT", 8.0),
    ("Stainless steel water bottle", "732393", "CN", 14.0),
    ("Phone case, silicone", "392690", "CN", 4.5),
    ("Wool scarf", "611710", "GB", 22.0),
    ("Paperback novel", "490199", "GB", 11.0),
    ("LED desk lamp", "940520", "CN", 19.0),
    ("Running shoes", "640411", "VN", 38.0),
)
NOTICED = (
    ("Hand-knotted wool rug", "570110", "IR", 120.0),  # prohibited origin: hold
    ("Disposable vape pen, 5000 puffs", "854340", "CN", 6.0),
    ("Designer handbag", "420221", "CN", 3.0),
    ("Handbag, leather look", "610910", "CN", 4.0),  # description vs HS chapter
    ("Tablet press die set", "847930", "CN", 45.0),
    ("Glock switch adapter", "930599", "CN", 12.0),
    ("Gift", "950300", "CN", 2.0),
)
FINDING_MIX = (
    FindingKind.NO_DISCREPANCY,
    FindingKind.NO_DISCREPANCY,
    FindingKind.MINOR_DISCREPANCY,
    FindingKind.MISDESCRIBED,
    FindingKind.UNDERVALUED,
    FindingKind.COUNTERFEIT,
    FindingKind.WRONG_ORIGIN,
    FindingKind.PROHIBITED,
)


def _filer() -> tuple[Organisation, str]:
    """An approved known shipper if there is one; else the demo shipper, registered as a
    filer so that it may file (the demo data has no approved application of its own)."""
    known = (
        Organisation.objects.filter(applications__status__in=ACTIVE_STATUSES).order_by("pk").first()
    )
    for organisation in (known, Organisation.objects.filter(legal_name=DEMO_SHIPPER).first()):
        if organisation is not None and filing_refusal(organisation=organisation) is None:
            return organisation, "known shipper" if organisation == known else "filer"
    organisation = Organisation.objects.get(legal_name=DEMO_SHIPPER)
    FilerRegistration.objects.get_or_create(
        organisation=organisation,
        defaults={"kind": FilerKind.MARKETPLACE, "note": "Demo data: files shipment data."},
    )
    return organisation, "registered filer (demo)"


def _party(name: str, country: str, line1: str, city: str) -> dict[str, Any]:
    return {"name": name, "address": {"line1": line1, "city": city, "country": country}}


def _payloads(rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    now = timezone.now()
    sellers = [
        (f"Demo Seller {n:03d} Trading Co", rng.choice(["CN", "HK", "VN", "GB"]))
        for n in range(150)
    ]
    for number in range(count):
        arrival = (
            now
            - timedelta(days=DAYS_BACK)
            + timedelta(seconds=rng.randrange((DAYS_BACK + DAYS_AHEAD) * 86400))
        )
        goods = rng.choice(NOTICED) if rng.random() < 0.12 else rng.choice(ORDINARY)
        description, hs_code, origin, value = goods
        seller, country = rng.choice(sellers)
        quantity = rng.randint(1, 3)
        yield {
            "reference": f"DEMO-{number:05d}",
            "house_bill": f"HBDEMO{number:07d}",
            "mode": rng.choice(["air", "air", "air", "postal", "truck"]),
            "carrier": "Demo Air Cargo",
            "port_of_arrival": rng.choice(PORTS),
            "estimated_arrival": arrival.replace(microsecond=0).isoformat(),
            "seller": _party(seller, country, f"{number % 90 + 1} Industrial Road", "Shenzhen"),
            "shipper": _party(DEMO_SHIPPER, "GB", "1 Dock Road", "Southampton"),
            "consignee": _party(
                f"Consignee {rng.randrange(100000):05d}", "US", "200 Main Street", "Springfield"
            ),
            "gross_weight_kg": round(0.2 + quantity * rng.random(), 3),
            "packages": 1,
            "currency": "USD",
            "items": [
                {
                    "description": description,
                    "hs_code": hs_code,
                    "quantity": quantity,
                    "unit_value": value,
                    "origin_country": origin,
                }
            ],
        }


def _api_key(organisation: Organisation) -> str:
    existing = OrganisationAPIKey.objects.filter(organisation=organisation, name=KEY_NAME).first()
    if existing is not None:
        return (
            f"API key {existing.prefix}... of {organisation} exists (a key is shown only "
            "once, when it is made; "
            f'make another with: manage.py create_api_key --organisation "{organisation}" '
            "--scope shipments:write)"
        )
    _, plain = api_key_create(
        organisation=organisation,
        name=KEY_NAME,
        scopes=["shipments:write", "shipments:read"],
    )
    return f"API key for {organisation} (shown once): {plain}"


def _file(organisation: Organisation, rng: random.Random) -> int:
    from shipments.targeting.screening import shipments_finalise

    payloads = list(_payloads(rng, int(getattr(settings, "DEMO_SHIPMENTS", COUNT))))
    filed = 0
    for start in range(0, len(payloads), BATCH_SIZE):
        outcome = batch_file(
            organisation=organisation,
            shipments=payloads[start : start + BATCH_SIZE],
            source=Batch.Source.API,
        )
        ids = [r["id"] for r in outcome.results if r.get("id")]
        # Decide now (the worker would, a moment later; the task is idempotent).
        shipments_finalise(shipment_ids=ids)
        filed += len(ids)
    return filed


def _findings(organisation: Organisation, rng: random.Random) -> int:
    officer = User.objects.filter(email=DEMO_OFFICER).first()
    if officer is None or not officer.has_perm(officers.DECIDE_PERMISSION):
        return 0
    candidates = list(
        Shipment.objects.for_organisation(organisation.pk)
        .filter(decision__in=OFFICER_DECISIONS, status=ShipmentStatus.DECIDED)
        .order_by("estimated_arrival")
        .values_list("id", "total_value")[:FINDINGS]
    )
    for index, (shipment_id, total) in enumerate(candidates):
        kind = FINDING_MIX[index % len(FINDING_MIX)]
        officers.finding_record(
            actor=officer,
            shipment_id=shipment_id,
            kind=kind,
            notes=f"Demo examination: {kind.label.lower()}.",
            found_value=total * 4 + 10 if kind == FindingKind.UNDERVALUED else None,
            examined_at=timezone.now() - timedelta(days=rng.randrange(DAYS_BACK)),
        )
    return len(candidates)


def seed_shipments_demo() -> list[str]:
    """Idempotent: a second run finds the demo shipments and adds nothing."""
    organisation, standing = _filer()
    lines = [f"shipments demo filer: {organisation} ({standing})", _api_key(organisation)]
    if (
        Shipment.objects.for_organisation(organisation.pk)
        .filter(reference__startswith="DEMO-")
        .exists()
    ):
        lines.append("demo shipments exist")
        return lines
    rng = random.Random(20261201)  # demo data, reproducible
    filed = _file(organisation, rng)
    examined = _findings(organisation, rng)
    held = Shipment.objects.for_organisation(organisation.pk).filter(decision__in=OFFICER_DECISIONS)
    findings = ExaminationFinding.objects.for_organisation(organisation.pk)
    lines.append(
        f"{filed} demo shipments filed over {DAYS_BACK + DAYS_AHEAD} days; "
        f"{held.count()} sent to officers; {examined} examined with findings "
        f"({findings.with_discrepancy().count()} with a discrepancy)"
    )
    return lines
