"""Admin registrations for this app."""
