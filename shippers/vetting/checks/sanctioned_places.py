"""Comprehensive-sanctions places: where the business is registered and located, and where
its principals, partners and goods come from, against the sanctioned countries and regions in
force today."""

from __future__ import annotations

import re

from django.utils import timezone

from core.reference.origins import prohibited_origin_codes
from core.reference.places import sanctioned_region_named
from core.reference.sanctions import sanctioned_country
from shippers.models import Address, Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "sanctioned_countries"


def _region_code(address: Address) -> str | None:
    """The ISO 3166-2 code given, or the sanctioned region the address names in any script
    ("Simferopol", "Донецьк": ``core.reference.places``)."""
    region = (address.region or "").strip().upper()
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", region):
        return region
    if re.fullmatch(r"[A-Z0-9]{1,3}", region):
        return f"{address.country.upper()}-{region}"
    named = sanctioned_region_named(
        address.line1, address.line2, address.city, address.region, country=address.country
    )
    return named or None


def check_sanctioned_countries(application: Application) -> Outcome:
    organisation = application.organisation
    today = timezone.localdate()
    places: list[tuple[str, str, str, bool]] = []  # (code, where, label, decisive)
    places.append((organisation.country, "country of registration", organisation.legal_name, True))
    for address in organisation.addresses.all():
        label = f"{address.get_kind_display()}: {address.one_line()}"
        places.append((address.country, "address", label, True))
        region = _region_code(address)
        if region:
            places.append((region, "address region", label, True))
    for principal in organisation.principals.all():
        places.append(
            (principal.nationality, "principal's nationality", principal.full_name, False)
        )
    for partner in organisation.partners.all():
        places.append((partner.country, "supply-chain partner", partner.name, False))
    prohibited = prohibited_origin_codes(today)
    for country in application.origin_countries or []:
        # Goods of a prohibited origin may not be imported at all (31 CFR 560.201,
        # 515.204, 510.206), so a declared origin there is decisive, not a review.
        code = str(country).upper()
        where = "origin of goods (a prohibited import)" if code in prohibited else "origin of goods"
        places.append((code, where, code, code in prohibited))

    findings = []
    for code, where, label, decisive in places:
        if not code:
            continue
        entry = sanctioned_country(code, today)
        if entry is None:
            continue
        findings.append(
            {
                "code": entry.code,
                "name": entry.name,
                "where": where,
                "what": label,
                "decisive": decisive and not entry.partial,
                "partial": entry.partial,
                "since": entry.effective_from.isoformat(),
                "citation": entry.citation,
                "url": entry.url,
            }
        )
    evidence = {"places_checked": len(places), "findings": findings, "on": today.isoformat()}
    if not findings:
        return Outcome(
            Status.PASSED,
            f"No place under comprehensive sanctions ({len(places)} places checked).",
            "Country of registration, addresses and their regions, principals' "
            "nationalities, supply-chain partners and origins of goods were compared with "
            "the comprehensive-sanctions list in force today.",
            evidence=evidence,
        )
    described = "; ".join(f"{f['where']} in {f['name']}" for f in findings[:4])
    if any(finding["decisive"] for finding in findings):
        return Outcome(
            Status.FAILED,
            f"The business is located in, or imports goods of, a comprehensively sanctioned "
            f"area: {described}.",
            "Dealings with a comprehensively sanctioned country or region, and imports of "
            "goods of Iranian, Cuban or North Korean origin, are prohibited without a "
            "licence; the citation of each programme is in the evidence.",
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"Links to comprehensively sanctioned areas: {described}.",
        "A principal's nationality, a partner or an origin of goods in a sanctioned area (or "
        "an address in a partly sanctioned country) is not prohibited as such but needs an "
        "officer's review of the licence position.",
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND,
    label="Comprehensive-sanctions countries",
    run=check_sanctioned_countries,
    severe_failure=True,
    order=30,
)
