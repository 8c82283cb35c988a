"""Issue 11 (citations): where an article number is not known, the step cites the regulation by its name alone —
no placeholder such as 条号待核实, and no 2014 number presented as the 2026 one — in the data, the rulesets page,
the API and the messages of the engine."""

from __future__ import annotations

from django.urls import reverse

from zhibu.development import ruleset as rs

PLACEHOLDERS = ("待核实", "条号", "待查", "（）")


def _citations(rules: rs.Ruleset) -> list[str]:
    return [rules.cite(s.article) for s in rules.steps.values()] + [
        rules.cite(t.article) for s in rules.steps.values() for t in s.rules
    ]


def test_no_citation_carries_a_placeholder():
    for rules in rs.RULESETS.values():
        for text in _citations(rules):
            assert not any(p in text for p in PLACEHOLDERS), text


def test_unknown_article_is_cited_by_the_regulation_name():
    assert (
        rs.RULESET_2014.cite(rs.RULESET_2014.step(10).article) == "《中国共产党发展党员工作细则》（2014年版）"
    )
    assert (
        rs.RULESET_2014.cite(rs.RULESET_2014.step(17).rules[0].article)
        == "《中国共产党发展党员工作细则》（2014年版）"
    )
    # a 2026 step whose number was not reported: the regulation, not the 2014 number
    assert (
        rs.RULESET_2014.cite(rs.RULESET_2014.step(2).article)
        == "《中国共产党发展党员工作细则》（2014年版）第七条"
    )
    assert (
        rs.RULESET_2026.cite(rs.RULESET_2026.step(2).article) == "《中国共产党发展党员工作细则》（2026年版）"
    )
    # known numbers and the 党章 stay as they are
    assert (
        rs.RULESET_2026.cite(rs.RULESET_2026.step(17).article)
        == "《中国共产党发展党员工作细则》（2026年版）第二十五条"
    )
    assert (
        rs.RULESET_2026.cite(rs.RULESET_2026.step(20).article)
        == "《中国共产党发展党员工作细则》（2026年版）第二十九条"
    )
    assert (
        rs.RULESET_2026.cite(rs.RULESET_2026.step(22).article)
        == "《中国共产党发展党员工作细则》（2026年版）第三十二条"
    )
    assert rs.RULESET_2014.cite(rs.RULESET_2014.step(20).article) == "党章第六条"


def test_page_and_api_show_no_placeholder_citation(tree, login):
    client = login(tree.users.sec_a)
    page = client.get(reverse("development:rulesets")).content.decode()
    assert "条号待核实" not in page and "2014年版条号" not in page
    assert "《中国共产党发展党员工作细则》（2014年版）第七条" in page
    body = client.get(reverse("api:development_rulesets")).json()
    articles = [s["article"] for r in body for s in r["steps"]] + [
        t["article"] for r in body for s in r["steps"] for t in s["rules"]
    ]
    assert articles and not any(p in a for a in articles for p in PLACEHOLDERS)
    step17 = next(s for s in body[0]["steps"] if s["number"] == 17)
    assert step17["rules"][0]["article"] == "《中国共产党发展党员工作细则》（2014年版）"
