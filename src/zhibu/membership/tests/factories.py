"""Test data for the membership app, written directly (no audit)."""

from __future__ import annotations

from datetime import date

from zhibu.membership.models import Transfer


def make_transfer(
    tree, member=None, to_org=None, issued_on=date(2022, 12, 1), valid_until=date(2023, 3, 1), **fields
) -> Transfer:
    member = member or tree.members.member_a
    return Transfer.objects.unscoped().create(
        member=member,
        member_name=member.name,
        kind=Transfer.Kind.INTERNAL,
        from_org=member.branch,
        to_org=to_org or tree.b,
        serial="JS-2022-001",
        issued_on=issued_on,
        valid_until=valid_until,
        **fields,
    )
