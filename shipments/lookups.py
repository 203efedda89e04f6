"""``field__any=[...]``: ``field = ANY(%s::type[])``, one array parameter however many
values. The task and filing queries select hundreds of rows by id; ``__in`` sends one
placeholder per value, which the client-side binding of psycopg splits and quotes one by
one (a third of the decision worker's database CPU at 500 ids a query). Registered on the
few fields those queries filter on (``ShipmentsConfig.ready``). Other databases (the
embedded SQLite default) get the ordinary ``IN`` list."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, Lookup

_PLAIN = re.compile(r"[0-9A-Za-z-]+")


class AnyOf(Lookup[Any]):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(one, connection, prepared=False) for one in self.rhs]
        if connection.vendor != "postgresql":
            # The embedded SQLite default has no arrays: the plain IN list it is.
            if not values:
                raise EmptyResultSet
            placeholders = ", ".join(["%s"] * len(values))
            return f"{lhs} IN ({placeholders})", [*lhs_params, *values]
        texts = [str(one) for one in values if one is not None]
        if len(texts) == len(values) and _PLAIN.fullmatch("".join(texts) or "x"):
            # Ids and hex keys: one array literal, which psycopg passes as one text value
            # instead of dumping each element.
            rhs_param: Any = "{" + ",".join(texts) + "}"
        else:
            rhs_param = values
        cast = field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{cast}[])", [*lhs_params, rhs_param]


def register() -> None:
    from shipments.models import PartyScreeningResult, RuleHit, Shipment, ShipmentVersion

    for model, name in (
        (Shipment, "id"),
        (Shipment, "consignee_key"),
        (ShipmentVersion, "shipment"),
        (PartyScreeningResult, "key"),
        (RuleHit, "shipment"),
    ):
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        field.register_lookup(AnyOf)
