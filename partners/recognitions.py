"""Which recognised authorisations an organisation holds: its identifier is on the current
version of a recognised program's list and the list's name folds to one of its names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from partners.models import TrustedTrader
from screening.engine.normalize import fold_name
from shippers.models import Identifier, Organisation


def _names(organisation: Organisation) -> set[str]:
    names = [organisation.legal_name, *(organisation.trade_names or [])]
    return {fold_name(str(name)) for name in names if str(name).strip()}


def recognition_candidates(
    organisations: Iterable[Organisation],
) -> dict[int, list[dict[str, Any]]]:
    """For each organisation (by id), the list entries matching one of its identifiers,
    each with `name_confirmed`. Two queries whatever the number of organisations."""
    by_id = {organisation.pk: organisation for organisation in organisations}
    if not by_id:
        return {}
    held: dict[str, set[int]] = defaultdict(set)
    for organisation_id, value in Identifier.objects.filter(organisation_id__in=by_id).values_list(
        "organisation_id", "value"
    ):
        held[value].add(organisation_id)
    if not held:
        return {}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    traders = (
        TrustedTrader.objects.current()
        .filter(identifier__in=held)
        .select_related("version__program")
        .order_by("identifier", "pk")
    )
    for trader in traders:
        for organisation_id in held[trader.identifier]:
            found[organisation_id].append(
                {
                    "program": trader.version.program.code,
                    "program_name": trader.version.program.name,
                    "identifier": trader.identifier,
                    "name_on_list": trader.name,
                    "authorisation_type": trader.authorisation_type,
                    "issuing_country": trader.issuing_country,
                    "valid_from": trader.valid_from,
                    "valid_to": trader.valid_to,
                    "list_published_on": trader.version.published_on,
                    "name_confirmed": trader.folded_name in _names(by_id[organisation_id]),
                }
            )
    return dict(found)


def recognitions_of(organisations: Iterable[Organisation]) -> dict[int, list[dict[str, Any]]]:
    """The confirmed recognitions (identifier and name agree), for public answers."""
    return {
        organisation_id: confirmed
        for organisation_id, rows in recognition_candidates(organisations).items()
        if (confirmed := [row for row in rows if row["name_confirmed"]])
    }


def public_recognition(row: dict[str, Any]) -> dict[str, Any]:
    """What a verify answer shows of a recognition."""
    return {
        "program": row["program"],
        "authorisation_type": row["authorisation_type"],
        "issuing_country": row["issuing_country"],
        "identifier": row["identifier"],
    }
