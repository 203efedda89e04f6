"""Officer pages for penalty cases, in the Django admin: the case queue and a case's page
(`cases`, with the action forms in `actions`, filters and the CSV export), and the
reference data supervisors maintain as versions (`reference`)."""

from enforcement.admin import cases, reference
from enforcement.admin.export import CSV_HEADER, csv_response

__all__ = ["CSV_HEADER", "cases", "csv_response", "reference"]
