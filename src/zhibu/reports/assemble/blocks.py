"""The shape of a report's content: blocks (title, author, headings, paragraphs, date line) and their facts.

Each block is a dict, stored as JSON in `Report.content["blocks"]`:

    {"key": "perf.duty.meetings",      # stable across refreshes: how edits find their paragraph again
     "kind": "title" | "author" | "h1" | "h2" | "p" | "date",
     "text": "...",                    # what the report says (the secretary may edit it)
     "generated": "...",               # what the system wrote last time it generated this block
     "edited": False,                  # True once the secretary's text differs from the generated one
     "facts": [fact, ...],             # the figures in this block, each linked to its records
     "seen": {fact key: value}}        # the figures the current text was written against

and each fact is {"key", "label", "value", "text", "refs": [[model label, id], ...]} (and "url" when the figure
has a page of its own): `value` is what is compared on refresh, `text` how it is written, `refs` the records it
was counted from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: A record a figure was counted from: (model label, primary key), e.g. ("records.activity", 12).
Ref = tuple[str, int]


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: object
    text: str
    refs: Iterable[Ref] = field(default_factory=tuple)
    url: str = ""  # where the figure itself is shown (e.g. the superior's ranking page), when it has a page

    def as_dict(self) -> dict:
        out = {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "text": self.text,
            "refs": [[str(label), int(pk)] for label, pk in self.refs],
        }
        if self.url:
            out["url"] = self.url
        return out


def block(key: str, kind: str, text: str, facts: list[Fact] | None = None) -> dict:
    fact_dicts = [f.as_dict() for f in facts or []]
    return {
        "key": key,
        "kind": kind,
        "text": text,
        "generated": text,
        "edited": False,
        "facts": fact_dicts,
        "seen": {f["key"]: f["value"] for f in fact_dicts},
    }
