"""Demo cases, written through the services (actor SYSTEM) so the status history is made as in real use.

卧龙山街道中心幼儿园党支部: 朱晓彤 goes from her 2020 application to 预备党员 in 2022 (支部大会 2022-06-28, approved
2022-07-19) and on through the 2022 steps of her 预备期; 秦雪 becomes 入党积极分子 on 2022-04-12. Those two cases are
where the 2022 report's "1 名入党积极分子转为预备党员, 1 名教干吸收为入党积极分子" comes from.
Other branches of district-edu hold cases at several stages, dated from today so that exactly one is overdue.
"""

from __future__ import annotations

from datetime import date, timedelta

from zhibu.orgs.scoping import SYSTEM
from zhibu.people import idnumber

from . import plan, services, voters
from . import ruleset as rs

KG = "wolongshan-kg"


def _walk(case, steps, people):
    archive = rs.checklist(case.rules)
    for step, on, details in steps:

        def count(on=on):
            return voters.roll(SYSTEM, case.org, on).expected

        services.step_record(
            actor=SYSTEM, case=case, step=step, on=on, details=plan.resolve(details, people, archive, count)
        )
        case.refresh_from_db()
    return case


def _kindergarten(ctx) -> None:
    roster = ctx.members[KG]
    kg = ctx.orgs[KG]
    people = {"contact1": roster["吴丽娟"], "contact2": roster["冯雨萱"]}
    zhu = services.case_open(
        actor=SYSTEM,
        branch=kg,
        member=roster["朱晓彤"],
        applied_on=date(2020, 9, 10),
        content="本人向党支部递交入党申请书。",
    )
    _walk(zhu, [(s, on, d) for s, on, d in plan.PLAN_2014 if 1 < s <= 21], people)
    qin = services.case_open(
        actor=SYSTEM,
        branch=kg,
        member=roster["秦雪"],
        applied_on=date(2021, 10, 8),
        content="本人向党支部递交入党申请书。",
    )
    _walk(
        qin,
        [
            (
                2,
                date(2021, 10, 20),
                {"talker": "钱佳宁", "content": "了解入党动机，勉励其在教研工作中发挥作用。"},
            ),
            (
                3,
                date(2022, 4, 12),
                {"decided_by": "committee", "content": "经党员推荐，支委会研究确定为入党积极分子。"},
            ),
            (4, date(2022, 4, 18), {"filed_with": "区教体局党委"}),
            (5, date(2022, 4, 20), {"contacts": ["contact1", "contact2"]}),
            (6, date(2022, 10, 11), {"opinion": "积极参加政治学习和宣讲活动，思想汇报认真。"}),
        ],
        people,
    )


# Other branches: (branch code, name, birth, steps as (step, days before today, details)).
def _relative_plans() -> list[tuple[str, str, date, list[tuple[int, int, dict]]]]:
    contacts = {"contacts": ["contact1", "contact2"]}
    introducers = {"introducers": ["contact1", "contact2"]}
    vote = dict(plan.FULL_VOTE)
    return [
        ("qinghe-ps", "苏晨曦", date(1998, 4, 3), [(1, 10, {})]),
        ("shiyan-ms", "方子墨", date(1997, 8, 19), [(1, 50, {})]),  # no talk within a month: overdue
        (
            "dongcheng-kg",
            "任佳怡",
            date(1999, 1, 27),
            [
                (1, 400, {}),
                (2, 390, {"talker": "支部书记"}),
                (3, 250, {"decided_by": "committee"}),
                (4, 248, {"filed_with": "区教体局党委"}),
                (5, 245, contacts),
                (6, 80, {"opinion": "表现良好。"}),
            ],
        ),
        (
            "vocational-t1",
            "鲁振宇",
            date(1994, 11, 6),
            [
                (1, 800, {}),
                (2, 790, {"talker": "支部书记"}),
                (3, 700, {"decided_by": "committee"}),
                (4, 698, {"filed_with": "职业中专党总支"}),
                (5, 695, contacts),
                (6, 540, {"opinion": "表现良好。"}),
                (6, 380, {"opinion": "进步明显。"}),
                (7, 330, {"decided_by": "committee"}),
                (8, 325, {"filed_with": "职业中专党总支"}),
                (9, 320, introducers),
                (10, 300, {"review_result": "pass"}),
                (11, 280, {"training_days": 3, "training_hours": 24, "organiser": "区教体局党委党校"}),
            ],
        ),
        (
            "vocational-t2",
            "葛书瑶",
            date(1995, 3, 14),
            [
                (1, 1100, {}),
                (2, 1090, {"talker": "支部书记"}),
                (3, 950, {"decided_by": "committee"}),
                (4, 948, {"filed_with": "职业中专党总支"}),
                (5, 945, contacts),
                (6, 800, {"opinion": "表现良好。"}),
                (6, 640, {"opinion": "进步明显。"}),
                (7, 580, {"decided_by": "committee"}),
                (8, 575, {"filed_with": "职业中专党总支"}),
                (9, 570, introducers),
                (10, 540, {"review_result": "pass"}),
                (11, 520, {"training_days": 3, "training_hours": 24, "organiser": "区教体局党委党校"}),
                (12, 300, {}),
                (13, 260, {"pre_review_result": "pass", "serial": "2024370101"}),
                (14, 250, {}),
                (15, 230, vote),
                (16, 220, {"talker": "组织员"}),
                (17, 200, {"outcome": "approve"}),
                (18, 195, {"filed_with": "区委组织部"}),
                (19, 190, {}),
                (20, 185, {}),
                (21, 60, {"opinion": "预备期表现良好。"}),
            ],
        ),
    ]


def build(ctx) -> None:
    _kindergarten(ctx)
    today = services.today()
    for number, (code, name, birth, steps) in enumerate(_relative_plans()):
        branch = ctx.orgs[code]
        roster = list(ctx.members[code].values())
        people = {"contact1": roster[0], "contact2": roster[1]}
        first = today - timedelta(days=steps[0][1])
        case = services.case_open(
            actor=SYSTEM,
            branch=branch,
            applied_on=first,
            person={
                "name": name,
                "id_number": idnumber.make("371102", birth, 700 + 2 * number),
                "post": "教师",
            },
        )
        _walk(case, [(s, today - timedelta(days=d), details) for s, d, details in steps[1:]], people)
    ctx.notes.append(
        "发展党员：卧龙山街道中心幼儿园党支部 朱晓彤 2022-06-28 支部大会通过、2022-07-19 批准为预备党员；"
        "朱晓彤预备期 2023-06-28 期满而转正尚未记录，列为超期（纪实页、到期清单和支部首页）；"
        "秦雪 2022-04-12 确定为入党积极分子；其他支部另有 5 件纪实（其中 1 件超期）。"
    )
