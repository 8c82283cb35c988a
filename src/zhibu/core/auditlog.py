"""Writing the audit log from an app that sits below the audit app (orgs): the same call as audit.services.log,
handed to the writer the audit app registers (core.hooks.AUDIT_LOG) inside the caller's transaction. Without a
registered writer the write fails: a change is never made unaudited."""

from __future__ import annotations

from typing import Any

from . import hooks


def log(*, actor, verb: str, target=None, detail: dict | None = None, org_path: str | None = None) -> Any:
    return hooks.one(hooks.AUDIT_LOG, actor=actor, verb=verb, target=target, detail=detail, org_path=org_path)


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}
