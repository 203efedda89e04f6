"""Duplicate or linked identities: another organisation sharing an identifier, an address or
a principal, and how that organisation stands."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper

from screening.engine.normalize import fold_name
from shippers.models import Address, Application, Identifier, Organisation, Principal, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "linked_identities"


def _address_key(address: Address) -> tuple[str, str, str]:
    return (
        fold_name(address.line1),
        re.sub(r"\s+", "", address.postal_code.upper()),
        address.country,
    )


def check_linked_identities(application: Application) -> Outcome:
    organisation = application.organisation
    others = Organisation.objects.exclude(pk=organisation.pk)
    links: list[dict[str, Any]] = []

    pairs = list(organisation.identifiers.values_list("kind", "value"))
    if pairs:
        condition = Q()
        for kind, value in pairs:
            condition |= Q(kind=kind, value=value)
        for other_identifier in Identifier.objects.filter(condition).exclude(
            organisation=organisation
        ):
            links.append(
                {
                    "by": "identifier",
                    "what": str(other_identifier),
                    "organisation_id": other_identifier.organisation_id,
                }
            )

    own_addresses = {_address_key(address): address for address in organisation.addresses.all()}
    if own_addresses:
        countries = {key[2] for key in own_addresses}
        candidates = Address.objects.filter(country__in=countries).exclude(
            organisation=organisation
        )
        postcodes = {key[1] for key in own_addresses if key[1]}
        if postcodes:
            candidates = candidates.annotate(
                compact_postcode=Upper(Replace("postal_code", Value(" "), Value("")))
            ).filter(Q(compact_postcode__in=postcodes) | Q(postal_code=""))
        for other_address in candidates.iterator():
            key = _address_key(other_address)
            if key in own_addresses and key[0]:
                links.append(
                    {
                        "by": "address",
                        "what": other_address.one_line(),
                        "organisation_id": other_address.organisation_id,
                    }
                )

    for principal in organisation.principals.all():
        folded = fold_name(principal.full_name)
        same_name = Principal.objects.filter(full_name__iexact=principal.full_name.strip()).exclude(
            organisation=organisation
        )
        for other_principal in same_name:
            if fold_name(other_principal.full_name) != folded:
                continue
            if principal.date_of_birth and other_principal.date_of_birth:
                if principal.date_of_birth != other_principal.date_of_birth:
                    continue
            elif principal.nationality != other_principal.nationality:
                continue
            links.append(
                {
                    "by": "principal",
                    "what": f"{other_principal.full_name} ({other_principal.get_role_display()})",
                    "organisation_id": other_principal.organisation_id,
                }
            )

    if not links:
        return Outcome(
            Status.PASSED,
            "No other organisation shares an identifier, address or principal.",
            "Identifiers, addresses (street and postcode) and principals (name with date of "
            "birth, or nationality) were compared with every other organisation.",
            evidence={"links": []},
        )
    linked_ids = {link["organisation_id"] for link in links}
    legal_names = dict(others.filter(pk__in=linked_ids).values_list("pk", "legal_name"))
    # Each linked organisation's latest application, all in one query (newest first, the
    # first seen per organisation kept).
    standing: dict[int, str] = {}
    for organisation_id, latest_status in (
        Application.objects.filter(organisation_id__in=linked_ids)
        .order_by("organisation_id", "-created_at", "-pk")
        .values_list("organisation_id", "status")
    ):
        standing.setdefault(organisation_id, latest_status)
    adverse = []
    for link in links:
        status = standing.get(link["organisation_id"])
        link["organisation"] = legal_names[link["organisation_id"]]
        link["status"] = status or "none"
        if status in {
            Application.Status.REJECTED,
            Application.Status.REVOKED,
            Application.Status.SUSPENDED,
        }:
            adverse.append(link)
    evidence = {"links": links}
    names = ", ".join(sorted({link["organisation"] for link in links}))
    if adverse:
        return Outcome(
            Status.FAILED,
            f"Linked to an organisation that was rejected, suspended or revoked: {names}.",
            "A business refused or removed from the program may try again under another "
            "name. Check whether this is the same business before deciding.",
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"Shares identifiers, addresses or principals with: {names}.",
        "Related companies are common (a group, a shared warehouse), but a duplicate "
        "registration must be explained.",
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND,
    label="Duplicate or linked identities",
    run=check_linked_identities,
    severe_failure=True,
    order=40,
)
