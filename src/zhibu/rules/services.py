"""Requirements and lights. Filled in by the requirements/lights work (issue 7)."""

from __future__ import annotations


def lights_refresh(*, org_id: int, months: set[tuple[int, int]]) -> None:
    """Called by record writes, inside their transaction, with the (year, month) pairs a change touched.

    Keeps the stored evaluation of those branch-months equal to a recompute from the records.
    """
    return None
