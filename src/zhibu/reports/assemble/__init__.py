"""Assemble an organisation's annual report from its records, in three steps kept in three modules:

- `gather`: the figures, read through the other apps' selectors and turned into frozen dataclasses
  (`Figures`). Nothing is caught: a selector that fails makes the report fail, never a shorter report.
- `wording`: the sentences written from the figures — the report's content, a list of blocks (see `blocks`).
- `merge`: refreshing a saved report with newly written content while keeping the secretary's edits.

The functions below are the entry points the pages, services, jobs and the ledger call.
"""

from __future__ import annotations

from zhibu.orgs.models import Organisation

from .blocks import Fact, block
from .gather import Figures, gather
from .merge import apply_edit, changed_facts, merge
from .wording import ordinal, write

__all__ = [
    "Fact",
    "Figures",
    "apply_edit",
    "block",
    "build",
    "changed_facts",
    "gather",
    "merge",
    "ordinal",
    "write",
]


def build(actor, org: Organisation, year: int, *, figures: Figures | None = None) -> dict:
    """The report content for an organisation and a year (not saved). Raises whatever a selector raises."""
    return write(figures or gather(actor, org, year))
