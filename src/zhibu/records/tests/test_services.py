from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhibu.audit.models import AuditEntry
from zhibu.core import events
from zhibu.orgs.scoping import NotVisible
from zhibu.people.models import PartyPost
from zhibu.records import services
from zhibu.records.models import Activity, Attendance
from zhibu.testing import factories as f

from .helpers import at, record

P, L, A = "present", "leave", "absent"


def _count():
    return Activity.objects.unscoped().count(), Attendance.objects.unscoped().count()


@pytest.fixture
def committee_of_five(tree):
    """Branch A with five committee members: sec_a, member_a, a3 and two more."""
    extra = [
        f.make_member(tree.a, "周委员", party_post=PartyPost.DISCIPLINE),
        f.make_member(tree.a, "吴委员", party_post=PartyPost.COMMITTEE),
    ]
    m = tree.members
    return [m.sec_a, m.member_a, m.a3, *extra]


def test_committee_meeting_with_three_of_five_present_meets_quorum(tree, committee_of_five):
    c = committee_of_five
    activity = record(tree, attendance={c[0].pk: (P, ""), c[1].pk: (P, ""), c[2].pk: (P, "")})
    assert (activity.committee_size, activity.committee_present) == (5, 3)
    assert activity.quorum_met is True


def test_committee_meeting_with_two_of_five_present_is_saved_and_flagged(tree, committee_of_five):
    c = committee_of_five
    activity = record(tree, attendance={c[0].pk: (P, ""), c[1].pk: (P, ""), c[2].pk: (L, "外出培训")})
    activity.refresh_from_db()
    assert (activity.committee_size, activity.committee_present) == (5, 2)
    assert activity.quorum_met is False


def test_committee_meeting_expects_the_committee_only(tree):
    m = tree.members
    activity = record(tree, attendance={m.sec_a.pk: (P, ""), m.a4.pk: (A, "")})
    rows = dict(Attendance.objects.unscoped().filter(activity=activity).values_list("member_id", "presence"))
    assert rows == {m.sec_a.pk: P, m.member_a.pk: A, m.a3.pk: A}
    assert (activity.expected_count, activity.present_count) == (3, 1)
    assert (activity.committee_size, activity.committee_present) == (3, 1)
    with pytest.raises(ValidationError) as exc:
        record(tree, attendance={m.a4.pk: (P, "")})
    assert exc.value.message_dict["attendance"] == [
        "王明在2023年3月6日不是支委会委员：支部委员会只登记当时委员的出勤。"
    ]


def test_changing_a_general_meeting_into_a_committee_meeting_narrows_the_roster(tree):
    m = tree.members
    activity = record(tree, kind="general-meeting", attendance={m.sec_a.pk: (P, ""), m.a4.pk: (P, "")})
    services.activity_update(actor=tree.users.sec_a, activity=activity, kind=f.kind("committee-meeting"))
    activity.refresh_from_db()
    assert (activity.expected_count, activity.present_count) == (3, 1)
    assert (activity.committee_size, activity.committee_present) == (3, 1)
    assert not Attendance.objects.unscoped().filter(activity=activity, member=m.a4).exists()


def test_every_roster_member_gets_a_row_and_missing_ones_are_absent(tree):
    m = tree.members
    activity = record(tree, kind="general-meeting", attendance={m.sec_a.pk: (P, ""), m.a4.pk: (L, "生病")})
    rows = dict(Attendance.objects.unscoped().filter(activity=activity).values_list("member_id", "presence"))
    assert rows == {m.sec_a.pk: P, m.member_a.pk: A, m.a3.pk: A, m.a4.pk: L}
    assert (activity.expected_count, activity.present_count) == (4, 1)
    assert (activity.committee_size, activity.committee_present) == (0, 0)  # no quorum outside a 支委会


def test_leave_without_reason_is_refused_and_nothing_saved(tree):
    before = _count()
    with pytest.raises(ValidationError) as exc:
        record(tree, attendance={tree.members.member_a.pk: (L, "  ")})
    assert exc.value.message_dict["attendance"] == ["李慧欣：请假须填写事由。"]
    assert _count() == before
    assert not AuditEntry.objects.filter(verb="activity.record").exists()


def test_end_before_start_is_refused(tree):
    before = _count()
    start = at(2023, 3, 6, 15)
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=tree.users.sec_a,
            org=tree.a,
            kind=f.kind("committee-meeting"),
            topic="时间倒置",
            starts_at=start,
            ends_at=start - timezone.timedelta(minutes=30),
        )
    assert exc.value.message_dict["ends_at"] == ["结束时间不能早于开始时间。"]
    assert _count() == before


def test_member_of_another_branch_is_refused(tree):
    before = _count()
    with pytest.raises(ValidationError) as exc:
        record(tree, attendance={tree.members.b1.pk: (P, "")})
    assert exc.value.message_dict["attendance"] == [
        f"编号 {tree.members.b1.pk} 的人员不是本支部党员，不能登记出勤。"
    ]
    assert _count() == before


def test_host_from_another_branch_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        record(tree, host=tree.members.b1)
    assert exc.value.message_dict["host"] == ["主持人必须是本支部党员。"]


def test_roster_is_taken_on_the_day_held(tree):
    """王明 became 预备党员 on 2022-06-01: not expected at a March 2022 meeting, refused as present there."""
    m = tree.members
    march = record(tree, kind="general-meeting", start=at(2022, 3, 10), attendance={m.a4.pk: (A, "")})
    assert march.expected_count == 3
    assert not Attendance.objects.unscoped().filter(activity=march, member=m.a4).exists()
    with pytest.raises(ValidationError) as exc:
        record(tree, kind="general-meeting", start=at(2022, 3, 11), attendance={m.a4.pk: (P, "")})
    assert "王明在活动当天不在本支部党员名单中" in exc.value.message_dict["attendance"][0]


def test_member_who_left_is_not_expected(tree):
    m = tree.members
    m.a3.left_on = date(2023, 1, 1)
    m.a3.save()
    activity = record(tree, kind="general-meeting")
    assert activity.expected_count == 3
    committee = record(tree, start=at(2023, 3, 7))
    assert (committee.expected_count, committee.committee_size, committee.committee_present) == (2, 2, 0)


def test_held_on_is_local_date_and_recorded_at_set_once(tree):
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 local is the previous day in UTC.
    activity = record(tree, start=at(2023, 5, 2, 0, 30), hours=1)
    assert activity.held_on == date(2023, 5, 2)
    first = activity.recorded_at
    services.activity_update(actor=tree.users.sec_a, activity=activity, topic="改过的主题")
    activity.refresh_from_db()
    assert activity.recorded_at == first and activity.recorded_by == tree.users.sec_a
    assert activity.topic == "改过的主题"


def test_counts_follow_an_update_of_the_attendance(tree):
    m = tree.members
    activity = record(tree, kind="general-meeting", attendance={m.sec_a.pk: (P, "")})
    assert (activity.expected_count, activity.present_count) == (4, 1)
    services.activity_update(
        actor=tree.users.sec_a,
        activity=activity,
        attendance={m.sec_a.pk: (P, ""), m.member_a.pk: (P, ""), m.a4.pk: (P, ""), m.a3.pk: (L, "带班")},
    )
    activity.refresh_from_db()
    assert (activity.expected_count, activity.present_count) == (4, 3)
    assert Attendance.objects.unscoped().get(activity=activity, member=m.a3).reason == "带班"


def test_update_without_attendance_keeps_presence(tree):
    m = tree.members
    activity = record(tree, kind="general-meeting", attendance={m.sec_a.pk: (P, ""), m.a3.pk: (L, "病假")})
    services.activity_update(actor=tree.users.sec_a, activity=activity, location="会议室")
    rows = dict(Attendance.objects.unscoped().filter(activity=activity).values_list("member_id", "presence"))
    assert rows[m.sec_a.pk] == P and rows[m.a3.pk] == L
    assert Activity.objects.unscoped().get(pk=activity.pk).present_count == 1


def test_failed_update_changes_nothing(tree):
    m = tree.members
    activity = record(tree, kind="general-meeting", attendance={m.sec_a.pk: (P, "")})
    with pytest.raises(ValidationError):
        services.activity_update(
            actor=tree.users.sec_a, activity=activity, topic="新主题", attendance={m.sec_a.pk: (L, "")}
        )
    stored = Activity.objects.unscoped().get(pk=activity.pk)
    assert stored.topic == "三月支委会" and stored.present_count == 1
    assert Attendance.objects.unscoped().get(activity=activity, member=m.sec_a).presence == P


def test_secretary_cannot_record_for_sibling_branch(tree):
    before = _count()
    with pytest.raises(NotVisible):
        services.activity_record(
            actor=tree.users.sec_a,
            org=tree.b,
            kind=f.kind("theme-day"),
            topic="越权",
            starts_at=at(2023, 3, 1),
            ends_at=at(2023, 3, 1, 16),
        )
    assert _count() == before


def test_superior_and_plain_member_cannot_record(tree):
    for user in (tree.users.district, tree.users.member_a, tree.users.auditor):
        with pytest.raises(NotVisible):
            services.activity_record(
                actor=user,
                org=tree.a,
                kind=f.kind("theme-day"),
                topic="越权",
                starts_at=at(2023, 3, 1),
                ends_at=at(2023, 3, 1, 16),
            )
    assert _count() == (0, 0)


def test_group_meeting_recorded_at_the_group_expects_its_members(tree):
    m = tree.members
    activity = record(tree, org=tree.a_group, kind="group-meeting", attendance={m.member_a.pk: (P, "")})
    rows = dict(Attendance.objects.unscoped().filter(activity=activity).values_list("member_id", "presence"))
    assert rows == {m.member_a.pk: P, m.a3.pk: A}
    with pytest.raises(ValidationError) as exc:
        record(tree, org=tree.a_group, kind="group-meeting", attendance={m.a4.pk: (P, "")})
    assert "本党小组" in exc.value.message_dict["attendance"][0]


def test_committee_meeting_cannot_sit_at_a_group(tree):
    with pytest.raises(ValidationError) as exc:
        record(tree, org=tree.a_group, kind="committee-meeting")
    assert exc.value.message_dict["kind"] == ["支部委员会只能登记在党支部。"]


def test_party_lecture_needs_a_speaker(tree):
    with pytest.raises(ValidationError) as exc:
        record(tree, kind="party-lecture")
    assert exc.value.message_dict["speaker"] == ["党课须填写主讲人。"]
    lecture = record(tree, kind="party-lecture", speaker=tree.members.sec_a)
    assert lecture.speaker == tree.members.sec_a


@pytest.fixture
def announced():
    """What the records' writes announce, as the subscribers would receive it after commit."""
    calls = []

    def listen(change):
        calls.append((change.org_ids, change.months))

    events.subscribe(events.RECORDS, listen)
    yield calls
    events.unsubscribe(events.RECORDS, listen)


def test_writes_announce_the_months_touched_on_commit(tree, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = record(tree, start=at(2023, 3, 30))
        assert announced == []  # not before the transaction commits
    assert announced == [((tree.a.pk,), ((2023, 3),))]
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            actor=tree.users.sec_a, activity=activity, starts_at=at(2023, 4, 2), ends_at=at(2023, 4, 2, 16)
        )
    assert announced[-1] == ((tree.a.pk,), ((2023, 3), (2023, 4)))
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(actor=tree.users.sec_a, activity=activity)
    assert announced[-1] == ((tree.a.pk,), ((2023, 4),))
    assert len(announced) == 3


def test_nothing_is_announced_when_refused(tree, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        record(tree, attendance={tree.members.b1.pk: (P, "")})
    assert callbacks == [] and announced == []


def test_every_write_is_audited_once(tree):
    activity = record(tree)
    services.activity_update(actor=tree.users.sec_a, activity=activity, topic="新")
    services.activity_delete(actor=tree.users.sec_a, activity=activity)
    verbs = list(AuditEntry.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["activity.record", "activity.update", "activity.delete"]
    update = AuditEntry.objects.get(verb="activity.update")
    assert update.detail["topic"] == ["三月支委会", "新"]
    assert update.org_path == tree.a.path


def test_delete_removes_attendance(tree):
    activity = record(tree, kind="general-meeting")
    services.activity_delete(actor=tree.users.sec_a, activity=activity)
    assert _count() == (0, 0)


def test_kind_create_is_usable_in_the_subtree_only(tree):
    kind = services.kind_create(actor=tree.users.district, org=tree.district, name="五个一讲评会")
    assert kind.code == "c-wugeyijiangpinghui" and kind.org == tree.district
    activity = record(tree, kind="general-meeting")
    services.activity_update(actor=tree.users.sec_a, activity=activity, kind=kind)
    assert Activity.objects.unscoped().get(pk=activity.pk).kind == kind
    with pytest.raises(ValidationError) as exc:
        services.kind_create(actor=tree.users.sec_a, org=tree.a, name="五个一讲评会")
    assert exc.value.message_dict["name"] == ["已有名为“五个一讲评会”的活动类型。"]


def test_kind_of_another_tree_is_refused(tree):
    kind = services.kind_create(actor=tree.users.sec_b, org=tree.b, name="乙校读书会")
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=tree.users.sec_a,
            org=tree.a,
            kind=kind,
            topic="借用",
            starts_at=at(2023, 3, 1),
            ends_at=at(2023, 3, 1, 16),
        )
    assert exc.value.message_dict["kind"] == ["该活动类型不适用于本组织。"]


def test_kind_create_needs_record_or_supervise(tree):
    for user in (tree.users.member_a, tree.users.auditor, tree.users.sec_b):
        with pytest.raises(NotVisible):
            services.kind_create(actor=user, org=tree.a, name="越权类型")
    assert not tree.a.activity_kinds.exists()


def test_kind_codes_do_not_clash(tree):
    first = services.kind_create(actor=tree.users.sec_a, org=tree.a, name="读书会")
    second = services.kind_create(actor=tree.users.sec_a, org=tree.a, name="读书会！")
    assert (first.code, second.code) == ("c-dushuhui", "c-dushuhui-2")
