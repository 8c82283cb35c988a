from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhibu.people.models import PartyPost
from zhibu.records.models import Activity, ActivityKind, Attendance
from zhibu.testing import factories as f

from .helpers import make_attachment, record


def _form(tree, **extra):
    m = tree.members
    data = {
        "kind": "committee-meeting",
        "topic": "研究三月党建工作",
        "starts_at": "2023-03-06T16:30",
        "ends_at": "2023-03-06T17:30",
        "location": "党员活动室",
        "host": str(m.sec_a.pk),
        "recorder": str(m.a3.pk),
        "content": "一、学习文件。二、研究工作。",
        "decisions": "同意发展对象人选。",
        f"presence_{m.sec_a.pk}": "present",
        f"presence_{m.member_a.pk}": "present",
        f"presence_{m.a3.pk}": "leave",
        f"reason_{m.a3.pk}": "外出培训",
        f"presence_{m.a4.pk}": "absent",
    }
    data.update(extra)
    return data


def test_create_page_preselects_kind_and_lists_the_roster(tree, login):
    response = login(tree.users.sec_a).get(
        reverse("records:create", args=[tree.a.code]) + "?kind=committee-meeting"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="committee-meeting" selected>' in html
    assert 'data-check-all="present"' in html
    for member in (tree.members.sec_a, tree.members.member_a, tree.members.a3):
        assert f'name="presence_{member.pk}" value="present"' in html
        assert f'name="reason_{member.pk}"' in html
    # a 支委会 lists the committee; 王明 (no committee post) and other branches' members are not listed
    for member in (tree.members.a4, tree.members.b1):
        assert f'name="presence_{member.pk}"' not in html
    assert 'type="datetime-local" name="starts_at"' in html
    general = login(tree.users.sec_a).get(
        reverse("records:create", args=[tree.a.code]) + "?kind=general-meeting"
    )
    assert f'name="presence_{tree.members.a4.pk}"' in general.content.decode()


def test_changing_the_kind_redraws_the_checklist_keeping_ticks(tree, login):
    m = tree.members
    url = reverse("records:create", args=[tree.a.code])
    page = login(tree.users.sec_a).get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-target="#attendance-card"' in page
    response = login(tree.users.sec_a).get(
        url,
        {"kind": "general-meeting", "starts_at": "2023-03-06T14:00", f"presence_{m.sec_a.pk}": "present"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith('<div class="card" id="attendance-card">')
    assert f'name="presence_{m.sec_a.pk}" value="present" checked' in html
    assert f'name="presence_{m.a4.pk}" value="absent" checked' in html


def test_secretary_records_a_committee_meeting(tree, login):
    client = login(tree.users.sec_a)
    response = client.post(reverse("records:create", args=[tree.a.code]), _form(tree))
    activity = Activity.objects.unscoped().get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "records:detail", args=[activity.pk]
    )
    assert (activity.expected_count, activity.present_count) == (3, 2)  # a 支委会 expects the committee
    assert (activity.committee_size, activity.committee_present) == (3, 2)
    assert activity.host == tree.members.sec_a and activity.recorder == tree.members.a3
    assert activity.held_on == date(2023, 3, 6)
    page = client.get(response["Location"]).content.decode()
    assert "研究三月党建工作" in page and "达到法定人数" in page and "外出培训" in page
    assert "应到 3 人，实到 2 人" in page


def test_quorum_shortfall_is_saved_and_flagged_on_the_result(tree, login):
    f.make_member(tree.a, "周委员", party_post=PartyPost.DISCIPLINE)
    f.make_member(tree.a, "吴委员", party_post=PartyPost.COMMITTEE)
    client = login(tree.users.sec_a)
    response = client.post(reverse("records:create", args=[tree.a.code]), _form(tree), follow=True)
    html = response.content.decode()
    activity = Activity.objects.unscoped().get()
    assert (activity.committee_size, activity.committee_present, activity.quorum_met) == (5, 2, False)
    assert "未达法定人数" in html
    assert "到会委员 2 人，支委会共 5 人，未超过半数" in html
    listing = client.get(reverse("records:list", args=[tree.a.code])).content.decode()
    assert "未达法定人数" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "2023-03-06T15:00"}, "结束时间不能早于开始时间。"),
        ({"topic": ""}, "这个字段是必填项。"),
        ({"starts_at": "明天下午"}, "输入一个有效的日期/时间。"),
        ({"reason_ID": ""}, "陶俊颖：请假须填写事由。"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(tree, login, change, message):
    change = {k.replace("ID", str(tree.members.a3.pk)): v for k, v in change.items()}
    response = login(tree.users.sec_a).post(
        reverse("records:create", args=[tree.a.code]), _form(tree, **change)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "研究三月党建工作" in html or change.get("topic") == ""  # what the user typed is kept
    assert not Activity.objects.unscoped().exists() and not Attendance.objects.unscoped().exists()


def test_posting_a_member_of_another_branch_is_refused(tree, login):
    b1 = tree.members.b1
    data = _form(tree, **{f"presence_{b1.pk}": "present"})
    response = login(tree.users.sec_a).post(reverse("records:create", args=[tree.a.code]), data)
    assert response.status_code == 400
    assert f"编号 {b1.pk} 的人员不是本支部党员" in response.content.decode()
    assert not Activity.objects.unscoped().exists()


def test_edit_changes_attendance_and_counts(tree, login):
    m = tree.members
    activity = record(tree, attendance={m.sec_a.pk: ("present", "")})
    client = login(tree.users.sec_a)
    page = client.get(reverse("records:edit", args=[activity.pk])).content.decode()
    assert f'name="presence_{m.sec_a.pk}" value="present" checked' in page
    assert 'value="2023-03-06T14:00"' in page
    data = _form(tree, topic="三月支委会（补充）", **{f"presence_{m.a3.pk}": "present"})
    response = client.post(reverse("records:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.topic == "三月支委会（补充）"
    assert (activity.expected_count, activity.present_count, activity.committee_present) == (3, 3, 3)
    data = _form(tree, kind="general-meeting", **{f"presence_{m.a4.pk}": "present"})
    assert client.post(reverse("records:edit", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert (activity.kind.code, activity.expected_count, activity.present_count) == ("general-meeting", 4, 3)
    assert (activity.committee_size, activity.committee_present) == (0, 0)


def test_delete_needs_post_and_goes_back_to_the_list(tree, login):
    activity = record(tree)
    client = login(tree.users.sec_a)
    assert client.get(reverse("records:delete", args=[activity.pk])).status_code == 405
    response = client.post(reverse("records:delete", args=[activity.pk]))
    assert response["Location"] == reverse("records:list", args=[tree.a.code])
    assert not Activity.objects.unscoped().exists()


def test_plain_member_sees_the_schedule_but_not_the_minutes(tree, login):
    activity = record(
        tree,
        content="绝密的会议纪要内容",
        decisions="决议内容",
        location="三楼党员活动室",
        attendance={tree.members.member_a.pk: ("leave", "家中有事")},
    )
    make_attachment(activity)
    client = login(tree.users.member_a)
    listing = client.get(reverse("records:list", args=[tree.a.code])).content.decode()
    assert "三月支委会" in listing and "三楼党员活动室" in listing
    assert "出勤" not in listing and "/4" not in listing
    detail = client.get(reverse("records:detail", args=[activity.pk])).content.decode()
    assert "三月支委会" in detail and "家中有事" in detail  # their own attendance
    for secret in ("绝密的会议纪要内容", "决议内容", "出勤名单", "张文慧", "合影.png", "附件"):
        assert secret not in detail
    attachment = activity.attachments.first()
    assert client.get(reverse("records:attachment", args=[attachment.pk])).status_code == 404
    calendar = client.get(reverse("records:calendar", args=[tree.a.code]) + "?month=2023-03").content.decode()
    assert "三月支委会" in calendar


def test_plain_member_gets_404_for_another_branch(tree, login):
    other = f.make_activity(tree.b, "theme-day", date(2023, 3, 1), topic="乙校主题党日")
    client = login(tree.users.member_a)
    assert client.get(reverse("records:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("records:list", args=[tree.b.code])).status_code == 404
    listing = client.get(reverse("records:list", args=[tree.a.code])).content.decode()
    assert "乙校主题党日" not in listing


def test_committee_sees_its_subtree(tree, login):
    f.make_activity(tree.a, "theme-day", date(2023, 3, 1), topic="甲园主题党日")
    f.make_activity(tree.b, "theme-day", date(2023, 3, 2), topic="乙校主题党日")
    f.make_activity(tree.other_branch, "theme-day", date(2023, 3, 3), topic="外区主题党日")
    html = login(tree.users.district).get(reverse("records:list", args=[tree.district.code])).content.decode()
    assert "甲园主题党日" in html and "乙校主题党日" in html and "外区主题党日" not in html
    assert "新建记录" not in html  # a committee supervises, it does not record


def test_list_filters_by_kind_and_month_with_htmx(tree, login):
    f.make_activity(tree.a, "theme-day", date(2023, 3, 1), topic="三月主题党日")
    f.make_activity(tree.a, "theme-day", date(2023, 4, 1), topic="四月主题党日")
    f.make_activity(tree.a, "committee-meeting", date(2023, 3, 9), topic="三月支委会")
    client = login(tree.users.sec_a)
    url = reverse("records:list", args=[tree.a.code]) + "?kind=theme-day&month=2023-03"
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "三月主题党日" in html and "四月主题党日" not in html and "三月支委会" not in html
    full = client.get(url).content.decode()
    assert "<html" in full and 'hx-get="/records/branch-a/"' in full


def test_bad_month_filter_says_so(tree, login):
    html = (
        login(tree.users.sec_a)
        .get(reverse("records:list", args=[tree.a.code]) + "?month=2023-13")
        .content.decode()
    )
    assert "月份格式应为“年-月”" in html


def test_calendar_puts_records_on_their_day(tree, login):
    activity = f.make_activity(tree.a, "theme-day", date(2023, 3, 15), topic="三月主题党日")
    html = login(tree.users.sec_a).get(reverse("records:calendar", args=[tree.a.code]) + "?month=2023-03")
    text = html.content.decode()
    assert "2023年3月" in text and reverse("records:detail", args=[activity.pk]) in text
    assert "?month=2023-02" in text and "?month=2023-04" in text
    assert "3月15日 周三" in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["records:list", "records:calendar"])
def test_list_and_calendar_do_not_grow_with_records(tree, login, name):
    client = login(tree.users.sec_a)
    url = reverse(name, args=[tree.a.code]) + "?month=2023-03"
    f.make_activity(tree.a, "theme-day", date(2023, 3, 1), present=[tree.members.sec_a])
    client.get(
        url
    )  # the session's first page records its login time (sessions are no longer saved every request)
    few = _queries(client, url)
    for day in range(2, 20):
        f.make_activity(
            tree.a_group if day % 2 else tree.a,
            "group-meeting" if day % 2 else "theme-day",
            date(2023, 3, day),
            present=[tree.members.sec_a],
        )
    assert _queries(client, url) == few
    assert few <= 12


def test_index_sends_to_the_home_organisation(tree, login):
    assert login(tree.users.sec_a).get(reverse("records:index"))["Location"] == "/records/branch-a/"
    assert login(tree.users.district).get(reverse("records:index"))["Location"] == "/records/district-edu/"
    assert login(tree.users.outsider).get(reverse("records:index")).status_code == 404


def test_mine_lists_what_the_member_attended(tree, login):
    m = tree.members
    record(tree, topic="出席的会", attendance={m.member_a.pk: ("present", "")})
    record(
        tree,
        topic="请假的会",
        start=f.timezone.now().replace(year=2023, month=5, day=8),
        attendance={m.member_a.pk: ("leave", "病假")},
    )
    f.make_activity(tree.b, "theme-day", date(2023, 3, 1), topic="别的支部")
    html = login(tree.users.member_a).get(reverse("records:mine")).content.decode()
    assert "出席的会" in html and "请假的会" in html and "病假" in html and "别的支部" not in html
    assert reverse("records:calendar", args=[tree.a.code]) in html
    nobody = login(tree.users.district).get(reverse("records:mine"))
    assert nobody.status_code == 200 and "尚未关联党员档案" in nobody.content.decode()


def test_kinds_page_adds_a_kind(tree, login):
    client = login(tree.users.sec_a)
    response = client.post(reverse("records:kinds", args=[tree.a.code]), {"name": "青蓝结对汇报会"})
    assert response.status_code == 302
    kind = ActivityKind.objects.unscoped().get(org=tree.a)
    assert kind.name == "青蓝结对汇报会"
    page = client.get(reverse("records:create", args=[tree.a.code])).content.decode()
    assert f'<option value="{kind.code}">青蓝结对汇报会</option>' in page
    again = client.post(reverse("records:kinds", args=[tree.a.code]), {"name": "青蓝结对汇报会"})
    assert again.status_code == 400 and "已有名为“青蓝结对汇报会”的活动类型。" in again.content.decode()
    assert ActivityKind.objects.unscoped().filter(org=tree.a).count() == 1


def test_nav_entries(tree, login):
    html = login(tree.users.member_a).get(reverse("records:mine")).content.decode()
    assert ">我的活动</a>" in html and ">组织生活</a>" not in html
    html = login(tree.users.sec_a).get(reverse("records:mine")).content.decode()
    assert ">我的活动</a>" in html and ">组织生活</a>" in html
