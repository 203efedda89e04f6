"""Reads for this app."""
