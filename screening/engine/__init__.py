"""Denied-party screening engine: list parsers, list diffs and explained name matching.

Pure Python (no Django): the ``screening`` Django app wraps it with models, commands and tasks.

* :mod:`screening.engine.models`: :class:`ListEntry` and its parts, :class:`ParseError`;
* :mod:`screening.engine.parsers`: streaming parsers for OFAC SDN CSV, the trade.gov
  Consolidated Screening List (CSV and JSON), the BIS Denied Persons List and the UN list XML;
* :mod:`screening.engine.diff`: content fingerprints and :func:`diff` between list versions;
* :mod:`screening.engine.normalize`: name normalisation;
* :mod:`screening.engine.index`: :class:`ScreeningIndex` (building, candidates, search), with
  :mod:`~screening.engine.scoring` (token alignment), :mod:`~screening.engine.qualifiers`
  (entity type, country, date of birth, identifiers, address) and
  :mod:`~screening.engine.explain` (:class:`Match` and its explanation).

List updates: :func:`diff` compares exactly the data imported. OFAC's 2024-05 release came
without ``alt.csv``/``add.csv``, so diffing it as published against a 2021 import that had them
reports every entry with strong aliases or addresses as changed. The importer therefore first
carries the previous version's aliases and addresses over to the entries still listed
(:mod:`screening.engine.partial`, with a warning on the version), and the difference counts only
real changes (see ``bench/README.md``). :mod:`screening.engine.validity` says whether an entry's
order is still in force (BIS denial orders expire).
"""

from screening.engine.diff import ListDiff, diff, fingerprint
from screening.engine.index import (
    SUGGESTED_HIT_THRESHOLD,
    SUGGESTED_REVIEW_THRESHOLD,
    Match,
    ScreeningIndex,
    flag_for,
)
from screening.engine.models import Address, Alias, Identifier, ListEntry, ParseError
from screening.engine.normalize import NormalizedName, normalize_name
from screening.engine.parsers import (
    parse_bis_dpl,
    parse_csl_csv,
    parse_csl_json,
    parse_ofac_sdn,
    parse_un_consolidated,
)

__all__ = [
    "SUGGESTED_HIT_THRESHOLD",
    "SUGGESTED_REVIEW_THRESHOLD",
    "Address",
    "Alias",
    "Identifier",
    "ListDiff",
    "ListEntry",
    "Match",
    "NormalizedName",
    "ParseError",
    "ScreeningIndex",
    "diff",
    "fingerprint",
    "flag_for",
    "normalize_name",
    "parse_bis_dpl",
    "parse_csl_csv",
    "parse_csl_json",
    "parse_ofac_sdn",
    "parse_un_consolidated",
]
