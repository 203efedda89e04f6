"""Streaming parsers that turn published screening-list files into :class:`ListEntry` records.

Every parser takes a path or an open stream, yields entries one at a time, and raises
:class:`~screening.engine.models.ParseError` naming the line or element that is wrong.
"""

from screening.engine.parsers.bis import parse_bis_dpl
from screening.engine.parsers.csl import parse_csl_csv, parse_csl_json
from screening.engine.parsers.ofac import parse_ofac_sdn
from screening.engine.parsers.un import parse_un_consolidated

__all__ = [
    "parse_bis_dpl",
    "parse_csl_csv",
    "parse_csl_json",
    "parse_ofac_sdn",
    "parse_un_consolidated",
]
