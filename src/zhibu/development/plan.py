"""A complete, rule-abiding development plan (朱晓彤's in the demo): the dates and inputs of the 25 steps.

Used by the demo and by the tests, so both exercise the same path through the services. Member references are
keys ("contact1", "contact2") resolved by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# 应到会有表决权党员数 is left out: the service derives it from the roster on the meeting date. "VOTERS" stands for
# that number (every voter present and in favour); the caller resolves it.
FULL_VOTE = {"present": "VOTERS", "written": 0, "yes": "VOTERS", "no": 0, "abstain": 0}

# (step, date, details); step 6 appears twice (two half-yearly 考察 entries).
PLAN_2014: list[tuple[int, date, dict]] = [
    (1, date(2020, 9, 10), {"content": "本人向党支部递交入党申请书。"}),
    (2, date(2020, 9, 25), {"talker": "孙晓梅", "content": "了解入党动机，介绍党的基本知识。"}),
    (
        3,
        date(2021, 3, 15),
        {"decided_by": "committee", "content": "经党员推荐，支委会研究确定为入党积极分子。"},
    ),
    (4, date(2021, 3, 22), {"filed_with": "区教体局党委"}),
    (5, date(2021, 3, 25), {"contacts": ["contact1", "contact2"]}),
    (6, date(2021, 9, 10), {"opinion": "思想进步，工作积极，能按时递交思想汇报。"}),
    (6, date(2022, 3, 8), {"opinion": "入党动机端正，在疫情防控值守中表现突出。"}),
    (
        7,
        date(2022, 3, 22),
        {"decided_by": "committee", "content": "听取党小组、培养联系人和党员群众意见，支委会讨论同意。"},
    ),
    (8, date(2022, 3, 28), {"filed_with": "区教体局党委"}),
    (9, date(2022, 4, 6), {"introducers": ["contact1", "contact2"]}),
    (10, date(2022, 4, 25), {"review_result": "pass", "content": "经谈话、查阅档案和函调，政治审查合格。"}),
    (11, date(2022, 5, 13), {"training_days": 3, "training_hours": 24, "organiser": "区教体局党委党校"}),
    (12, date(2022, 5, 20), {"content": "支委会对发展对象的条件、培养教育情况进行审查。"}),
    (13, date(2022, 6, 8), {"pre_review_result": "pass", "serial": "2022370011", "content": "预审合格。"}),
    (14, date(2022, 6, 15), {"content": "在入党介绍人指导下填写入党志愿书。"}),
    (15, date(2022, 6, 28), dict(FULL_VOTE, content="支部大会无记名投票表决，同意接收为预备党员。")),
    (16, date(2022, 7, 5), {"talker": "区教体局党委组织员", "content": "上级党委派人谈话。"}),
    (17, date(2022, 7, 19), {"outcome": "approve", "content": "党委会集体讨论，批准为预备党员。"}),
    (18, date(2022, 7, 26), {"filed_with": "区委组织部"}),
    (19, date(2022, 7, 28), {}),
    (20, date(2022, 8, 1), {"content": "在党旗下进行入党宣誓。"}),
    (21, date(2022, 12, 20), {"opinion": "预备期内表现良好。"}),
    (22, date(2023, 6, 12), {"content": "本人提出书面转正申请。"}),
    (23, date(2023, 6, 28), dict(FULL_VOTE, conversion="confirm")),
    (24, date(2023, 7, 20), {"outcome": "approve"}),
    (25, date(2023, 8, 10), {"archive": "ALL"}),
]


def resolve(details: dict, people: dict, archive: list[str], voters: Callable[[], int] | None = None) -> dict:
    """Replace member keys by ids, "ALL" by the full checklist and "VOTERS" by the number of voters."""
    result = {}
    for name, value in details.items():
        if value == "VOTERS":
            value = voters() if voters else 0
        if isinstance(value, list):
            value = [people[v].pk if isinstance(v, str) else v for v in value]
        if value == "ALL":
            value = list(archive)
        result[name] = value
    return result
