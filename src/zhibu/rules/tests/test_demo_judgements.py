"""Issue 11, "Done means": the demo shows at least one of each judgement — a lawful vote with its derivation, an
overdue 转正, a 2022 组织生活会 held in 2023, a below-quorum 支委会, a 请假 month, a holiday week and a 换届 — each
seen where a user would see it (pages, the lights API)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from freezegun import freeze_time

from zhibu.development import services as development
from zhibu.development.models import Case, Vote
from zhibu.orgs import selectors as posts
from zhibu.orgs.models import Election
from zhibu.reports.assemble import gather


def test_demo_shows_one_of_each_judgement(demo_data, client):
    kg = demo_data.orgs["wolongshan-kg"]
    secretary, district = demo_data.users["secretary"], demo_data.users["district"]

    # a lawful vote with its derivation (every vote in the demo), on the case page
    client.force_login(secretary)
    zhu = Case.objects.unscoped().get(member__name="朱晓彤")
    vote = Vote.objects.unscoped().get(record__case=zhu)
    assert vote.expected == vote.roster_expected and vote.quorum and vote.passed
    case_page = client.get(reverse("development:case", args=[zhu.pk])).content.decode()
    assert vote.derivation in case_page and "应到会有表决权党员" in vote.derivation
    # an overdue 转正: 预备期满 2023-06-28 and not yet converted
    assert f"已超期 {(development.today() - date(2023, 6, 28)).days} 天" in case_page

    # a 2022 组织生活会 held on 2023-02-15 meets 2022 (the branch page of December 2022)
    december = client.get(reverse("rules:branch", args=[kg.code]) + "?month=2022-12").content.decode()
    assert "2023年2月15日" in december and "（2022年度）" in december

    # a holiday week: 国庆 exempts 10月3日—9日 from the weekly study
    october = client.get(reverse("rules:branch", args=[kg.code]) + "?month=2022-10").content.decode()
    assert "不作要求的周：10月3日—9日（法定节假日）" in october

    # a 换届 (2024-01-05) that leaves 2022's committee and report as they were
    assert list(Election.objects.unscoped().filter(org=kg).values_list("held_on", flat=True)) == [
        date(2021, 1, 8),
        date(2024, 1, 5),
    ]
    assert [h.name for h in posts.post_holders(kg, on=date(2022, 12, 31)) if h.post == "organiser"] == [
        "孙晓梅"
    ]
    assert gather(secretary, kg, 2022).secretary == "周静怡"

    # a below-quorum 支委会: 清河小学's October 2022, on its page and in the lights API for the district
    client.force_login(district)
    qinghe = client.get(reverse("rules:branch", args=["qinghe-ps"]) + "?month=2022-10").content.decode()
    assert "到会委员 1 人、支委会共 3 人，未超过半数，未达法定人数" in qinghe
    with freeze_time("2023-01-20 10:00:00"):
        client.force_login(district)
        body = client.get(reverse("api:rules_lights") + "?org=district-edu&month=2022-10").json()
    branch = next(o for o in body["organisations"] if o["code"] == "qinghe-ps")
    committee = next(r for r in branch["requirements"] if r["fix_url"].count("kind=committee-meeting"))
    assert [r.get("below_quorum") for r in committee["records"]] == [True]
    assert committee["state"] == "未完成" and committee["missing"][0]["deadline"] == "2022-11-07"

    # a 请假 month in a run of missed meetings: the watch counts three months, not four, and names June
    client.force_login(district)
    watch = client.get(
        reverse("membership:watch", args=["dongcheng-kg"]), {"on": "2022-09-30"}
    ).content.decode()
    assert (
        "连续3个月无正当理由未参加组织生活（最后一次出席是2022-05-16；2022年6月（产假）请假，有正当理由，不计为缺席）"
        in watch
    )
