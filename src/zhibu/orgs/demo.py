"""Demo posts and terms: 卧龙山街道中心幼儿园党支部 elected its committee on 2021-01-08 (a three-year term) and held
its 换届 on 2024-01-05, when 孙晓梅 and 吴丽娟 exchanged the 组织委员 and 宣传委员 posts. The 2022 pages and report keep
the 2021 committee; the roster shows today's."""

from __future__ import annotations

from datetime import date

from zhibu.orgs.scoping import SYSTEM

from . import services

KG = "wolongshan-kg"


def build(ctx) -> None:
    kg = ctx.orgs[KG]
    roster = ctx.members[KG]
    first = [
        ("周静怡", "secretary"),
        ("钱佳宁", "deputy"),
        ("孙晓梅", "organiser"),
        ("吴丽娟", "propaganda"),
        ("郑雅琴", "discipline"),
    ]
    second = [
        ("周静怡", "secretary"),
        ("钱佳宁", "deputy"),
        ("吴丽娟", "organiser"),
        ("孙晓梅", "propaganda"),
        ("郑雅琴", "discipline"),
    ]
    for held_on, posts in ((date(2021, 1, 8), first), (date(2024, 1, 5), second)):
        services.committee_elect(
            actor=SYSTEM, org=kg, held_on=held_on, posts=[(roster[name], post) for name, post in posts]
        )
    for name in ("孙晓梅", "吴丽娟"):
        roster[name].refresh_from_db()
    ctx.notes.append(
        "换届：卧龙山街道中心幼儿园党支部 2021-01-08 选举支部委员会，2024-01-05 换届（组织委员、宣传委员互换），"
        "2022 年的页面和述职报告仍按 2021 年的班子。"
    )
