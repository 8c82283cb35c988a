"""What the lights have to say on other apps' pages (the record form), without those apps importing the rules."""

from __future__ import annotations

from django import template

from zhibu.rules import selectors

register = template.Library()


@register.simple_tag
def late_entry_notice(org) -> str:
    """Before a secretary starts a record: which held dates would now make their month yellow (逾期补录)."""
    return selectors.late_entry_notice(org) if org is not None else ""
