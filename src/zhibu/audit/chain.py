"""The hash chain that makes the audit tamper-evident.

Each entry's hash is SHA-256 over its canonical form (a sorted JSON of the stored fields) and the previous
entry's hash. Writers take one lock (an advisory lock on PostgreSQL; SQLite's write lock already serialises
writers) so the chain stays linear; `zhibu audit verify` walks it and names the first entry that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.db import connection

GENESIS = "0" * 64
_LOCK_KEY = 0x7A6869627541  # "zhibuA": the audit chain's advisory lock on PostgreSQL


def canonical(entry) -> str:
    """The fields an entry is hashed over, in a form that survives a round trip through either database.
    The actor's id is left out: deleting an account sets it to NULL, which is not tampering."""
    at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "at": at,
        "actor_name": entry.actor_name,
        "verb": entry.verb,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "org_path": entry.org_path,
        "detail": entry.detail,
        "ip": entry.ip,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(entry, prev_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(entry)}".encode()).hexdigest()


def lock() -> None:
    """Serialise writers of the chain until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(entries: Iterable) -> Verdict:
    """Walk entries in id order; the first whose links or contents do not match is named."""
    prev = GENESIS
    checked = 0
    for entry in entries:
        if entry.prev_hash != prev:
            return Verdict(checked, entry.pk, "与前一条记录的链接不符（前面的记录被删除或改动）")
        if entry.hash != digest(entry, prev):
            return Verdict(checked, entry.pk, "内容与其哈希不符（该记录被改动）")
        prev = entry.hash
        checked += 1
    return Verdict(checked)
