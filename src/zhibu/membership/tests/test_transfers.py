from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhibu.audit.models import AuditEntry
from zhibu.dues import selectors
from zhibu.dues.models import DuesSettings
from zhibu.dues.tests.factories import give_base, pay
from zhibu.membership import transfers
from zhibu.membership.models import Transfer
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from .factories import make_transfer


def members_of(actor, org):
    return set(
        Member.objects.visible_to(actor, Action.VIEW).filter(branch=org).values_list("name", flat=True)
    )


def test_transfer_lifecycle_inside_the_system(tree):
    m = tree.members.member_a
    give_base(m)
    pay(m, date(2022, 11, 1))
    t = transfers.transfer_issue(
        actor=tree.users.sec_a,
        member=m,
        to_org=tree.b,
        serial="JS-2022-007",
        issued_on=date(2022, 12, 5),
        reason="工作调动",
    )
    assert (t.status, t.dues_paid_to, t.valid_until) == ("issued", date(2022, 11, 1), date(2023, 3, 5))
    # issued: still in the old branch, shown as 转出未接收
    assert "李慧欣" in members_of(tree.users.sec_a, tree.a)
    assert transfers.pending_member_ids(tree.users.sec_a, tree.a) == {m.pk}
    assert [x.pk for x in transfers.incoming_pending(tree.users.sec_b)] == [t.pk]
    # accepted by the receiving branch: the member moves
    transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=date(2022, 12, 20))
    m.refresh_from_db()
    assert (m.branch, m.party_group) == (tree.b, None)
    assert "李慧欣" in members_of(tree.users.sec_b, tree.b)
    assert "李慧欣" not in members_of(tree.users.sec_a, tree.a)
    # the old branch keeps its history (the transfer and the payments it collected) but no longer manages her
    assert [x.status for x in transfers.visible(tree.users.sec_a)] == ["received"]
    assert selectors.member_dues(actor=tree.users.sec_a, member=m).payments[0].org == tree.a
    with pytest.raises(scoping.NotVisible):
        selectors.member_for(tree.users.sec_a, Action.MEMBERS, m.pk)
    # the new branch sees her whole dues record
    assert len(selectors.member_dues(actor=tree.users.sec_b, member=m).payments) == 1
    entry = AuditEntry.objects.get(verb="transfer.receive")
    assert entry.detail["branch"] == ["branch-a", "branch-b"]


def test_transfer_to_the_same_branch_is_refused(tree):
    with pytest.raises(ValidationError, match="不能把组织关系转到本支部"):
        transfers.transfer_issue(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            to_org=tree.a,
            serial="JS-1",
            issued_on=date(2022, 12, 5),
        )
    assert Transfer.objects.unscoped().count() == 0


def test_database_refuses_a_transfer_to_oneself(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_transfer(tree, to_org=tree.a)


def test_second_open_letter_is_refused(tree):
    transfers.transfer_issue(
        actor=tree.users.sec_a,
        member=tree.members.member_a,
        to_org=tree.b,
        serial="JS-1",
        issued_on=date(2022, 12, 5),
    )
    with pytest.raises(ValidationError, match="尚未接收"):
        transfers.transfer_issue(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            to_org=tree.other_branch,
            serial="JS-2",
            issued_on=date(2022, 12, 6),
        )
    assert Transfer.objects.unscoped().count() == 1


def test_paper_letter_needs_a_serial(tree):
    with pytest.raises(ValidationError, match="编号"):
        transfers.transfer_issue(
            actor=tree.users.sec_a, member=tree.members.member_a, to_org=tree.b, issued_on=date(2022, 12, 5)
        )


def test_letter_validity_follows_the_organisation_setting(tree):
    DuesSettings.objects.unscoped().create(org=tree.district, letter_valid_months=1)
    t = transfers.transfer_issue(
        actor=tree.users.sec_a,
        member=tree.members.member_a,
        to_org=tree.b,
        serial="J",
        issued_on=date(2022, 1, 31),
    )
    assert t.valid_until == date(2022, 2, 28)


def test_expired_letter_is_flagged_and_cannot_be_received(tree):
    today = timezone.localdate()
    t = make_transfer(tree, issued_on=today - timedelta(days=120), valid_until=today - timedelta(days=30))
    fresh = make_transfer(
        tree,
        member=tree.members.a3,
        issued_on=today - timedelta(days=5),
        valid_until=today + timedelta(days=80),
    )
    assert (t.expired, fresh.expired) == (True, False)
    with pytest.raises(ValidationError, match="已过有效期"):
        transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=today)
    t.refresh_from_db()
    assert t.status == "issued"
    assert Member.objects.unscoped().get(pk=tree.members.member_a.pk).branch == tree.a


def test_receiving_secretary_sees_the_transfer_but_not_other_members_of_the_sending_branch(tree):
    t = make_transfer(tree)
    assert transfers.transfer_for(tree.users.sec_b, t.pk) == t
    assert members_of(tree.users.sec_b, tree.a) == set()
    with pytest.raises(scoping.NotVisible):
        selectors.member_for(tree.users.sec_b, Action.VIEW, tree.members.a3.pk)
    # the sending secretary cannot accept on the receiving side's behalf
    with pytest.raises(scoping.NotVisible):
        transfers.transfer_receive(actor=tree.users.sec_a, transfer=t, received_on=date(2022, 12, 10))
    # someone outside both cannot see it at all
    with pytest.raises(scoping.NotVisible):
        transfers.transfer_for(tree.users.outsider, t.pk)
    t.refresh_from_db()
    assert t.status == "issued"
    transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=date(2022, 12, 10))
    assert Member.objects.unscoped().get(pk=tree.members.member_a.pk).branch == tree.b


def test_transfer_out_of_the_system_ends_with_the_receipt(tree):
    m = tree.members.a3
    t = transfers.transfer_issue(
        actor=tree.users.sec_a,
        member=m,
        outside_org="中共某市第一中学支部委员会",
        serial="JS-9",
        issued_on=date(2022, 11, 1),
    )
    assert t.kind == "out"
    with pytest.raises(
        scoping.NotVisible
    ):  # nobody in the system receives it but the sender records the 回执
        transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=date(2022, 11, 20))
    transfers.transfer_receive(actor=tree.users.sec_a, transfer=t, received_on=date(2022, 11, 20))
    m.refresh_from_db()
    assert (m.branch, m.left_on) == (tree.a, date(2022, 11, 20))
    assert "陶俊颖" not in {
        r.name for r in selectors.roll(actor=tree.users.sec_a, org=tree.a, month=date(2022, 12, 1)).rows
    }


def test_transfer_in_from_outside(tree):
    t = transfers.transfer_in_record(
        actor=tree.users.sec_b,
        member=tree.members.b1,
        outside_org="中共某县委组织部",
        serial="WX-3",
        issued_on=date(2022, 3, 1),
        received_on=date(2022, 3, 10),
        dues_paid_to=date(2022, 2, 1),
    )
    assert (t.kind, t.status, t.to_org, t.from_org) == ("in", "received", tree.b, None)


def test_cancel_a_letter(tree):
    t = make_transfer(tree)
    transfers.transfer_cancel(actor=tree.users.sec_a, transfer=t)
    t.refresh_from_db()
    assert t.status == "cancelled"
    with pytest.raises(ValidationError):
        transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=date(2022, 12, 10))


def test_receiving_a_transfer_announces_both_rosters_on_commit(tree, django_capture_on_commit_callbacks):
    from zhibu.core import events

    heard = []
    events.subscribe(events.ROSTER, heard.append)
    try:
        t = transfers.transfer_issue(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            to_org=tree.b,
            serial="JS-2022-008",
            issued_on=date(2022, 12, 5),
            reason="工作调动",
        )
        with django_capture_on_commit_callbacks(execute=True):
            transfers.transfer_receive(actor=tree.users.sec_b, transfer=t, received_on=date(2022, 12, 20))
            assert heard == []  # nothing before the commit
    finally:
        events.unsubscribe(events.ROSTER, heard.append)
    assert [(c.kind, c.org_ids) for c in heard] == [("roster", (tree.b.pk,)), ("roster", (tree.a.pk,))]
