"""Which recognised authorisations an organisation holds: its identifier is on the current
version of a recognised program's list and the list's name folds to one of its names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F

from partners.models import TrustedTrader
from screening.engine.normalize import fold_name
from shippers.models import Identifier, Organisation


def _names(organisation: Organisation) -> list[str]:
    return [organisation.legal_name, *(organisation.trade_names or [])]


def recognition_candidates(
    organisations: Iterable[Organisation],
) -> dict[int, list[dict[str, Any]]]:
    """For each organisation (by id), the list entries matching one of its identifiers,
    each with `name_confirmed`."""
    return candidates_by_names({o.pk: _names(o) for o in organisations})


def candidates_by_names(names_of: dict[int, list[str]]) -> dict[int, list[dict[str, Any]]]:
    """`recognition_candidates` for organisations given as id -> their names. Two queries
    whatever their number: their identifiers on a current list, then those entries."""
    if not names_of:
        return {}
    on_lists = TrustedTrader.objects.current().values("identifier")
    held: dict[str, set[int]] = defaultdict(set)
    for organisation_id, value in Identifier.objects.filter(
        organisation_id__in=names_of, value__in=on_lists
    ).values_list("organisation_id", "value"):
        held[value].add(organisation_id)
    if not held:
        return {}
    folded = {
        organisation_id: {fold_name(str(name)) for name in names if str(name).strip()}
        for organisation_id, names in names_of.items()
    }
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    traders = (
        TrustedTrader.objects.current()
        .filter(identifier__in=held)
        .order_by("identifier", "pk")
        .values(
            "identifier",
            "folded_name",
            "authorisation_type",
            "issuing_country",
            "valid_from",
            "valid_to",
            name_on_list=F("name"),
            program=F("version__program__code"),
            program_name=F("version__program__name"),
            list_published_on=F("version__published_on"),
        )
    )
    for trader in traders:
        row: dict[str, Any] = dict(trader)
        folded_name = row.pop("folded_name")
        for organisation_id in held[row["identifier"]]:
            found[organisation_id].append(
                {**row, "name_confirmed": folded_name in folded[organisation_id]}
            )
    return dict(found)


def confirmed_only(
    candidates: dict[int, list[dict[str, Any]]],
) -> dict[int, list[dict[str, Any]]]:
    return {
        organisation_id: confirmed
        for organisation_id, rows in candidates.items()
        if (confirmed := [row for row in rows if row["name_confirmed"]])
    }


def recognitions_of(organisations: Iterable[Organisation]) -> dict[int, list[dict[str, Any]]]:
    """The confirmed recognitions (identifier and name agree), for public answers."""
    return confirmed_only(recognition_candidates(organisations))


def public_recognition(row: dict[str, Any]) -> dict[str, Any]:
    """What a verify answer shows of a recognition."""
    return {
        "program": row["program"],
        "program_name": row["program_name"],
        "authorisation_type": row["authorisation_type"],
        "issuing_country": row["issuing_country"],
        "identifier": row["identifier"],
    }
