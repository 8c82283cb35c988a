"""Conditions for menu entries (AppConfig.nav "when"). Imported by apps.py modules, so it imports models late."""

from __future__ import annotations

from . import access


def has_member_record(user) -> bool:
    """For the "my own" pages: offered to users who hold a role inside a branch (书记 … 党员: people on a
    roster), decided from the role rows the scope already read, so the menu costs no extra query."""
    return access.scoping().holds_branch_role(user)
