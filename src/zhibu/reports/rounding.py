"""How a report says a large count in words: "近20000字", "16000多字".

The unit is the place of the second digit (19,437 → thousands). When that digit is 9 the count is said to be
"near" the next round number (19,000–19,999 → 近20000); otherwise it is the count rounded down to the unit
followed by 多 (16,000–16,999 → 16000多) — except a count that is already round, which is said exactly
(16,000 → 16000). Counts below 1,000 are always said exactly.
"""

from __future__ import annotations


def approx(n: int) -> str:
    """The phrase for a count, without the unit word: approx(19437) == "近20000"."""
    if n < 1000:
        return str(n)
    unit = 10 ** (len(str(n)) - 2)
    if (n // unit) % 10 == 9:
        return f"近{(n // (unit * 10) + 1) * unit * 10}"
    if n % unit == 0:
        return str(n)
    return f"{n // unit * unit}多"


def approx_chars(n: int) -> str:
    """approx_chars(16212) == "16000多字"."""
    return f"{approx(n)}字"
