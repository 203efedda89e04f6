"""Writes for this app (business actions, one transaction each)."""
