"""Posts and terms are dated (a later 换届 does not rewrite the past), and a committee must be lawful: fewer than
7 正式党员 → no 支部委员会; posts only for 正式党员; a 书记 or 副书记 under one year of 党龄 is confirmed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import selectors, services
from zhibu.orgs.models import Election, Post
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import Member
from zhibu.testing import factories as f

DAY = date(2026, 11, 1)  # "today" for the services


def grow(branch, full: int) -> list[Member]:
    """Add 正式党员 (转正 2016) until the branch has `full` of them."""
    have = Member.objects.unscoped().filter(branch=branch, status="full").count()
    return [
        f.make_member(branch, f"党员{branch.pk}{i:02d}", joined=date(2015, 6, 1)) for i in range(full - have)
    ]


def elect(branch, held_on, posts, **more):
    return services.committee_elect(actor=SYSTEM, org=branch, held_on=held_on, posts=posts, day=DAY, **more)


# -- 9: a lawful committee ---------------------------------------------------------------------------------------


def test_branch_of_six_elects_only_a_secretary_and_a_deputy(tree):
    extra = grow(tree.a, 6)
    m = tree.members
    with pytest.raises(ValidationError) as exc:
        elect(
            tree.a,
            date(2022, 1, 5),
            [(m.sec_a, "secretary"), (m.member_a, "organiser"), (m.a3, "propaganda")],
        )
    message = str(exc.value)
    assert (
        "有正式党员6人，不足7人，不设支部委员会，只设书记1名、必要时设副书记1名，不能选举组织委员、宣传委员"
        in message
    )
    assert "《中国共产党支部工作条例（试行）》" in message
    assert Election.objects.unscoped().count() == 0 and Post.objects.unscoped().count() == 0
    election = elect(tree.a, date(2022, 1, 5), [(m.sec_a, "secretary"), (extra[0], "deputy")])
    assert (election.has_committee, election.full_members) == (False, 6)
    assert selectors.has_committee(tree.a, on=date(2022, 6, 1)) is False


def test_branch_of_seven_has_a_committee_of_three_to_seven(tree):
    grow(tree.a, 7)
    m = tree.members
    with pytest.raises(ValidationError) as exc:
        elect(tree.a, date(2022, 1, 5), [(m.sec_a, "secretary"), (m.member_a, "organiser")])
    assert "应设支部委员会，委员一般3至5人、最多不超过7人，现为2人" in str(exc.value)
    election = elect(
        tree.a, date(2022, 1, 5), [(m.sec_a, "secretary"), (m.member_a, "organiser"), (m.a3, "propaganda")]
    )
    assert (election.has_committee, election.full_members) == (True, 7)
    assert selectors.has_committee(tree.a, on=date(2022, 6, 1)) is True
    # before any election is recorded the roster decides: 7 正式党员 and 3 committee posts then as well
    assert selectors.has_committee(tree.a, on=date(2021, 12, 31)) is True


def test_monthly_committee_meeting_is_owed_by_seven_not_by_six(tree):
    from zhibu.rules import selectors as lights

    grow(tree.a, 6)
    jan = {
        e.rule.code
        for e in lights.branch_year(actor=SYSTEM, org=tree.a, year=2022, today=date(2022, 6, 20))
        .month(1)
        .items
    }
    assert "ZB-02" not in jan and "ZB-07" in jan
    grow(tree.a, 7)
    jan = {
        e.rule.code
        for e in lights.branch_year(actor=SYSTEM, org=tree.a, year=2022, today=date(2022, 6, 20))
        .month(1)
        .items
    }
    assert "ZB-02" in jan


def test_committee_members_must_be_full_members(tree):
    grow(tree.a, 7)
    m = tree.members  # 王明 (a4) is a 预备党员 since 2022-06-01
    before = (Member.objects.unscoped().get(pk=m.sec_a.pk).party_post, AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        elect(
            tree.a,
            date(2022, 9, 1),
            [(m.sec_a, "secretary"), (m.member_a, "organiser"), (m.a4, "propaganda")],
        )
    assert (
        "王明在2022年9月1日不是正式党员，不能担任宣传委员：支部委员会委员和书记、副书记须为正式党员"
        "（预备党员没有选举权和被选举权，《中国共产党章程》第七条；《中国共产党支部工作条例（试行）》）"
    ) in str(exc.value)
    assert Election.objects.unscoped().count() == 0 and Post.objects.unscoped().count() == 0
    assert (Member.objects.unscoped().get(pk=m.sec_a.pk).party_post, AuditEntry.objects.count()) == before


def test_secretary_under_one_year_of_party_age_must_be_confirmed(tree):
    grow(tree.a, 5)
    young = f.make_member(tree.a, "新党员", joined=date(2021, 3, 1))  # 转正 2022-03-02; now 6 正式党员
    with pytest.raises(ValidationError) as exc:
        elect(tree.a, date(2022, 9, 1), [(young, "secretary")])
    assert "新党员的党龄（自2022年3月2日转正起算）不满1年，担任书记一般应有1年以上党龄" in str(exc.value)
    assert "已知悉并确认" in str(exc.value) and Election.objects.unscoped().count() == 0
    election = elect(tree.a, date(2022, 9, 1), [(young, "secretary")], confirm=True)
    assert election.confirmed_warnings.startswith("新党员的党龄")
    assert Member.objects.unscoped().get(pk=young.pk).party_post == "secretary"


# -- 8: dated posts and terms --------------------------------------------------------------------------------------


def test_a_2024_election_leaves_2022_holders_and_report_unchanged(tree):
    from zhibu.reports.assemble import gather
    from zhibu.rules import selectors as lights

    m = tree.members
    grow(tree.a, 7)
    f.make_activity(
        tree.a,
        "party-lecture",
        date(2022, 5, 10),
        speaker=m.sec_a,
        recorded_at=datetime(2022, 5, 10, 12, tzinfo=UTC),
    )
    before = gather(SYSTEM, tree.a, 2022)
    assert before.secretary == "张文慧"
    elect(tree.a, date(2024, 3, 1), [(m.member_a, "secretary"), (m.sec_a, "organiser"), (m.a3, "propaganda")])
    assert gather(SYSTEM, tree.a, 2022).secretary == "张文慧"
    assert gather(SYSTEM, tree.a, 2022).secretary_member_id == m.sec_a.pk
    assert [(h.name, h.post) for h in selectors.post_holders(tree.a, on=date(2022, 12, 31))] == [
        ("张文慧", "secretary"),
        ("李慧欣", "organiser"),
        ("陶俊颖", "propaganda"),
    ]
    assert [(h.name, h.post) for h in selectors.post_holders(tree.a, on=date(2024, 3, 1))] == [
        ("李慧欣", "secretary"),
        ("张文慧", "organiser"),
        ("陶俊颖", "propaganda"),
    ]
    assert selectors.secretary_on(tree.a, on=date(2024, 2, 29)).name == "张文慧"
    # the 2022 党课 by 张文慧 still counts as the 书记's
    year = lights.branch_year(actor=SYSTEM, org=tree.a, year=2022, today=date(2023, 1, 20))
    lecture = next(e for e in year.month(12).items if e.rule.code == "ZB-06")
    assert lecture.item.state == "done"
    # the roster and the organisation show today's holders
    assert Member.objects.unscoped().get(pk=m.member_a.pk).party_post == "secretary"
    assert Member.objects.unscoped().get(pk=m.sec_a.pk).party_post == "organiser"


def test_term_length_is_data_and_the_reminder_starts_six_months_before(tree):
    m = tree.members
    grow(tree.a, 6)
    election = elect(tree.a, date(2022, 1, 5), [(m.sec_a, "secretary")])
    assert election.term_ends_on == date(2025, 1, 4)
    assert selectors.term_state(tree.a, on=date(2024, 7, 3)).state == "running"
    state = selectors.term_state(tree.a, on=date(2024, 7, 4))
    assert state.state == "due_soon" and state.text.startswith("本届任期将于2025年1月4日届满")
    assert selectors.term_state(tree.a, on=date(2025, 1, 5)).state == "overdue"
    services.term_rule_set(actor=SYSTEM, org=tree.district, term_years=5, basis="社区党支部")
    assert elect(tree.a, date(2024, 12, 1), [(m.sec_a, "secretary")]).term_ends_on == date(2029, 11, 30)


def test_a_delayed_election_needs_a_recorded_approval(tree):
    m = tree.members
    grow(tree.a, 6)
    elect(tree.a, date(2021, 1, 5), [(m.sec_a, "secretary")])  # term to 2024-01-04
    with pytest.raises(ValidationError) as exc:
        elect(tree.a, date(2024, 5, 1), [(m.member_a, "secretary")])
    assert "上届任期已于2024年1月4日届满，延期换届须经上级党组织批准" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        elect(
            tree.a,
            date(2025, 2, 1),
            [(m.member_a, "secretary")],
            delay_approval="区教体局党委 2024-01-02 批准",
        )
    assert "延期换届一般不超过12个月（应在2025年1月4日前完成）" in str(exc.value)
    assert Election.objects.unscoped().count() == 1
    election = elect(
        tree.a,
        date(2024, 5, 1),
        [(m.member_a, "secretary")],
        delay_approval="区教体局党委 2024-01-02 批准延期至2024年6月",
    )
    assert election.delay_approval == "区教体局党委 2024-01-02 批准延期至2024年6月"
    assert selectors.secretary_on(tree.a, on=date(2024, 4, 30)).name == "张文慧"


def test_api_records_an_election_and_reads_posts_on_a_date(tree, login):
    m = tree.members
    grow(tree.a, 7)
    client = login(tree.users.sec_a)
    url = reverse("api:orgs_elect", args=[tree.a.code])
    refused = client.post(
        url,
        {
            "held_on": "2024-03-01",
            "posts": [
                {"member_id": m.member_a.pk, "post": "secretary"},
                {"member_id": m.a4.pk, "post": "organiser"},
                {"member_id": m.a3.pk, "post": "propaganda"},
            ],
        },
        content_type="application/json",
    )
    assert (
        refused.status_code == 422
        and "王明在2024年3月1日不是正式党员" in refused.json()["errors"]["posts"][0]
    )
    assert Election.objects.unscoped().count() == 0
    made = client.post(
        url,
        {
            "held_on": "2024-03-01",
            "posts": [
                {"member_id": m.member_a.pk, "post": "secretary"},
                {"member_id": m.sec_a.pk, "post": "organiser"},
                {"member_id": m.a3.pk, "post": "propaganda"},
            ],
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["has_committee"] is True
    old = client.get(reverse("api:orgs_posts", args=[tree.a.code]), {"on": "2022-12-31"}).json()
    assert [(h["name"], h["post_label"]) for h in old["holders"]] == [
        ("张文慧", "书记"),
        ("李慧欣", "组织委员"),
        ("陶俊颖", "宣传委员"),
    ]
    assert old["has_committee"] is True
    now = client.get(reverse("api:orgs_posts", args=[tree.a.code]), {"on": "2024-03-01"}).json()
    assert now["holders"][0]["name"] == "李慧欣" and now["term"]["ends_on"] == "2027-02-28"


def test_detail_page_shows_holders_term_and_reminder(tree, login):
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    m = tree.members
    grow(tree.a, 6)
    today = timezone.localdate()
    held = today - relativedelta(years=3) + relativedelta(months=2)  # the term ends in two months
    services.committee_elect(actor=SYSTEM, org=tree.a, held_on=held, posts=[(m.sec_a, "secretary")])
    page = login(tree.users.sec_a).get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    assert "不设支部委员会（正式党员不足7人的党支部设书记1名" in page
    assert "即将届满" in page and "书记：张文慧" in page and "换届，任期3年" in page
