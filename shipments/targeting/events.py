"""Audit actions of risk targeting."""

from __future__ import annotations

from enum import StrEnum


class TargetingAction(StrEnum):
    DECIDE = "shipment.decide"
    DECIDE_BATCH = "shipment_batch.decide"
    RULE_CREATE = "targeting_rule.create"
    RULE_VERSION = "targeting_rule.new_version"
    WATCH_SAVE = "watched_address.save"
    STATISTICS_REFRESH = "value_statistics.refresh"


TITLES: dict[str, str] = {
    TargetingAction.DECIDE: "Risk decision",
    TargetingAction.DECIDE_BATCH: "Shipments released by targeting",
    TargetingAction.RULE_CREATE: "Targeting rule created",
    TargetingAction.RULE_VERSION: "New version of a targeting rule",
    TargetingAction.WATCH_SAVE: "Watched address saved",
    TargetingAction.STATISTICS_REFRESH: "Unit-value statistics refreshed",
}
