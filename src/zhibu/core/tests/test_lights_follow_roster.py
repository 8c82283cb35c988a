"""Roster changes move the stored lights at once: a branch that gains a committee now owes a monthly 支委会."""

from __future__ import annotations

from datetime import date

from zhibu.people import idnumber
from zhibu.people.models import PartyPost, Status
from zhibu.people.services import member_create, member_update
from zhibu.rules.tests.helpers import colours, rec
from zhibu.testing import factories as f

TODAY = date(2022, 6, 20)


def test_branch_gaining_a_committee_owes_committee_meetings(tree, django_capture_on_commit_callbacks):
    """The roster announces its changes on commit; the rules app relights the branch then."""
    rec(tree.b, "theme-day", date(2022, 1, 14), present=[tree.members.b1])
    assert colours(tree.b, 2022, TODAY)[0] == "g"  # one member: no committee, so no 支委会 is owed
    for i in range(4):  # 5 正式党员, then 7 with the two 委员 below (a committee needs 7 正式党员)
        f.make_member(tree.b, f"党员{i}")
    with django_capture_on_commit_callbacks(execute=True):
        for seq, post in ((11, PartyPost.ORGANISER), (13, PartyPost.PROPAGANDA)):
            member_create(
                actor=tree.users.sec_b,
                branch=tree.b,
                name=f"委员{seq}",
                id_number=idnumber.make("371102", date(1985, 3, seq), seq),
                party_post=post,
                history=[(Status.PROBATIONARY, date(2010, 6, 1)), (Status.FULL, date(2011, 6, 1))],
            )
    assert colours(tree.b, 2022, TODAY)[0] == "r"  # three on the committee now: January lacks a 支委会
    newest = tree.b.members.order_by("-id").first()
    with django_capture_on_commit_callbacks(execute=True):
        member_update(actor=tree.users.sec_b, member=newest, party_post="")
    assert colours(tree.b, 2022, TODAY)[0] == "g"
