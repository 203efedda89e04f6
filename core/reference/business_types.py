"""What kind of business an organisation is."""

from __future__ import annotations

import enum


class BusinessType(enum.StrEnum):
    """What kind of business a shipper is; decides which documents it must upload and which
    training modules its members must take."""

    ONLINE_SELLER = "online_seller"
    MARKETPLACE = "marketplace"
    EXPRESS_CONSIGNOR = "express_consignor"
    FREIGHT_FORWARDER = "freight_forwarder"
    MANUFACTURER = "manufacturer"
    OTHER = "other"
