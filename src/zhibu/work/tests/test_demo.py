from __future__ import annotations

import pytest

from zhibu.demo import DemoContext
from zhibu.orgs import scoping
from zhibu.work import demo, selectors


@pytest.fixture
def demo_ctx(db):
    from zhibu.demo_core import build_core

    ctx = DemoContext()
    build_core(ctx)
    demo.build(ctx)
    return ctx


def test_demo_reproduces_the_seed_figures(demo_ctx):
    kg = demo_ctx.orgs["wolongshan-kg"]
    values = selectors.year_figures(scoping.SYSTEM, kg, 2022)["values"]
    assert values["service_count"] == 12
    assert values["publicity_national_study"] == 377
    assert values["publicity_other"] == 438
    assert len(values["local_media_titles"]) >= 1
    assert {i["platform"] for i in values["local_media_items"]} == {"日照教育发布", "日照数字报"}
    assert all("红心向党 倾情幼教" in t for t in values["local_media_titles"])
    assert values["mentoring_pairs"] == 6
    assert values["showcase_lessons"] == [(11, 6)]
    assert values["showcase_months"] == {11}
    assert values["model_posts"] == 3
    [team] = values["propaganda_teams"]
    assert team["name"] == "巾帼党建宣讲小组" and len(team["members"]) == 3
    assert [(a["level"], a["prize"]) for a in team["awards"]] == [("区级", "优秀奖")]
    assert "中国梦·新时代·新征程" in team["awards"][0]["competition"]
    assert [s["name"] for s in values["selections"]] == ["“温馨班级建设”选树", "“最美卧幼人”故事评选"]
    assert 16000 <= values["reflection_chars"] <= 16999
    assert values["spaces"] == ["党员活动室", "教师书屋", "卧龙诗社"]
    assert len(selectors.problems(scoping.SYSTEM, kg, 2022)) == 5
    plan = selectors.plans(scoping.SYSTEM, kg, 2023)
    assert [p["section"] for p in plan] == ["goal"] * 4 + ["direction"] * 5
    assert any("工作纪实" in line for line in demo_ctx.notes)


def test_demo_pages_render_for_the_secretary(demo_ctx, client):
    from django.urls import reverse

    from zhibu.work.models import PropagandaTeam

    client.force_login(demo_ctx.users["secretary"])
    overview = client.get(reverse("work:overview", args=["wolongshan-kg"]) + "?year=2022")
    assert overview.status_code == 200
    assert "巾帼党建宣讲小组" in overview.content.decode()
    for slug in ("publicity", "service", "pair", "lesson", "team", "reflection", "space", "problem", "plan"):
        year = 2023 if slug == "plan" else 2022
        response = client.get(reverse("work:list", args=["wolongshan-kg", slug]) + f"?year={year}")
        assert response.status_code == 200, slug
    assert (
        client.get(reverse("work:list", args=["wolongshan-kg", "publicity"]) + "?year=2022")
        .context["page_obj"]
        .paginator.count
        == 815
    )
    team = PropagandaTeam.objects.unscoped().get()
    detail = client.get(reverse("work:detail", args=["team", team.pk]))
    assert "让青春在平凡中闪光" in detail.content.decode()
