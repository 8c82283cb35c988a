"""Refreshing a saved report without losing the secretary's edits (刷新数据)."""

from __future__ import annotations


def changed_facts(b: dict) -> list[dict]:
    """The facts of a block whose value differs from the one its text was written against."""
    seen = b.get("seen", {})
    return [f for f in b.get("facts", []) if f["key"] in seen and seen[f["key"]] != f["value"]] + [
        f for f in b.get("facts", []) if f["key"] not in seen and b.get("edited")
    ]


def merge(old: dict, new: dict) -> dict:
    """Refresh `old` (a saved report's content) with freshly written `new` content.

    - A block the secretary has not edited takes the new text and figures.
    - An edited block keeps its text; its facts are updated (so the records shown are current) but `seen`
      keeps the values the text was written against, so the page warns where a figure changed.
    - An edited block that the new content no longer produces is kept where it was, marked `orphan`.
    - New blocks appear in their generated place.
    """
    old_blocks = {b["key"]: b for b in old.get("blocks", [])}
    result = []
    new_keys = set()
    for b in new["blocks"]:
        new_keys.add(b["key"])
        previous = old_blocks.get(b["key"])
        if previous and previous.get("edited"):
            result.append({**b, "text": previous["text"], "edited": True, "seen": previous.get("seen", {})})
        else:
            result.append(b)
    # Keep edited blocks that disappeared, after the block that preceded them in the old order.
    order = [b["key"] for b in old.get("blocks", [])]
    for index, key in enumerate(order):
        b = old_blocks[key]
        if key in new_keys or not b.get("edited"):
            continue
        anchor = next((order[j] for j in range(index - 1, -1, -1) if order[j] in new_keys), None)
        position = next((i + 1 for i, r in enumerate(result) if r["key"] == anchor), 0) if anchor else 0
        result.insert(position, {**b, "orphan": True})
        new_keys.add(key)
    return {**new, "blocks": result}


def apply_edit(b: dict, text: str) -> dict:
    """The secretary saved `text` for a block: it is edited unless it equals the generated text, and the
    figures it now stands on are the current ones (which clears any change warning)."""
    text = text.replace("\r\n", "\n").strip()
    return {
        **b,
        "text": text,
        "edited": text != b.get("generated", ""),
        "seen": {f["key"]: f["value"] for f in b.get("facts", [])},
    }
