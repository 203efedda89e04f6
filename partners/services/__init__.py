"""The partners app's business actions (each one transaction with its audit event)."""
