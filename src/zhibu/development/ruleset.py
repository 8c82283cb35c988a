"""The development rules as data: 5 stages, 25 steps, their time rules, fields, documents and articles.

Two versions: `2014` (《中国共产党发展党员工作细则》, 中办发〔2014〕33号, confirmed) and `2026` (the
revision reported in May 2026, not yet checked against the official text: shown as 待核实).
Everything the engine checks comes from these tables; no other module holds a number of days or months.
Where the article number is not known, a step carries no article and is cited by the regulation's name alone
(never a guessed number, never a placeholder).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from zhibu.core import months as core_months

# ---------------------------------------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class TimeRule:
    """A date limit for a step, measured from an anchor.

    kind: "earliest" (before it: refused), "latest" (after it: saved, flagged 超期, reason required),
    "hard_latest" (after it: refused). anchor: a step number, or "probation_end" (预备期满之日),
    "previous_review" (the last 考察 entry, else the 积极分子 date).
    """

    code: str
    kind: str
    anchor: int | str
    months: int = 0
    days: int = 0
    article: str = ""
    text: str = ""


@dataclass(frozen=True)
class Step:
    number: int
    stage: int
    name: str
    fields: tuple[str, ...] = ()  # step-specific inputs (see FIELDS)
    required: tuple[str, ...] = ()  # which of them must be filled
    documents: tuple[str, ...] = ()  # document types the step leaves behind (see DOCUMENTS)
    article: str = ""
    rules: tuple[TimeRule, ...] = ()
    checks: tuple[str, ...] = ()  # named non-date checks implemented in engine.CHECKS
    status: str = ""  # people.Status the step writes ("" = none)
    repeatable: bool = False  # several dated entries (半年考察)
    note: str = ""


@dataclass(frozen=True)
class Ruleset:
    version: str
    title: str
    effective_from: date
    confirmed: bool
    steps: dict[int, Step] = field(default_factory=dict)
    publicity_workdays: int = 0  # 发展对象公示 working days asked for at step 7 (0 = not asked)
    source: str = ""

    @property
    def label(self) -> str:
        return f"{self.title}（{self.version}）" + ("" if self.confirmed else "【待核实】")

    def step(self, number: int) -> Step:
        return self.steps[number]

    def cite(self, article: str) -> str:
        if not article:
            return f"《{self.title}》（{self.version}年版）"
        if article.startswith("党章") or article.startswith("《"):
            return article
        return f"《{self.title}》（{self.version}年版）{article}"


STAGES = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}

# Inputs a step may ask for. Plain names: they are the web form's field names and the API's keys.
FIELDS: dict[str, tuple[str, str]] = {
    # name: (label, kind)  kind ∈ text, textarea, int, decimal, date, members, choice:<set>, group, checklist
    "talker": ("谈话人", "text"),
    "content": ("内容摘要", "textarea"),
    "decided_by": ("决定机构", "choice:body"),
    "filed_with": ("备案的上级党委", "text"),
    "contacts": ("培养联系人", "members"),
    "opinion": ("考察意见", "textarea"),
    "publicity_start": ("公示开始日期", "date"),
    "publicity_end": ("公示结束日期", "date"),
    "introducers": ("入党介绍人", "members"),
    "review_result": ("政审结论", "choice:pass"),
    "training_days": ("培训天数", "int"),
    "training_hours": ("培训学时", "int"),
    "organiser": ("培训组织单位", "text"),
    "pre_review_result": ("预审结果", "choice:pass"),
    "serial": ("入党志愿书编号", "text"),
    "expected": ("应到会有表决权党员数", "int"),
    "expected_reason": ("应到人数更正理由", "text"),
    "present": ("实到会有表决权党员数", "int"),
    "written": ("书面意见数", "int"),
    "yes": ("赞成票", "int"),
    "no": ("反对票", "int"),
    "abstain": ("弃权票", "int"),
    "outcome": ("决定", "choice:approval"),
    "conversion": ("转正决议", "choice:conversion"),
    "extension_months": ("延长预备期（月）", "int"),
    "party_group": ("编入党小组", "group"),
    "archive": ("归档材料清单", "checklist"),
}

CHOICES: dict[str, list[tuple[str, str]]] = {
    "body": [("committee", "支部委员会"), ("assembly", "支部党员大会")],
    "pass": [("pass", "合格"), ("fail", "不合格")],
    "approval": [("approve", "批准"), ("reject", "不批准")],
    "conversion": [("confirm", "按期转为正式党员"), ("extend", "延长预备期"), ("cancel", "取消预备党员资格")],
}

VOTE_FIELDS = ("expected", "present", "written", "yes", "no", "abstain")
# 应到会有表决权党员数 is derived from the roster when left empty; a smaller figure needs a reason.
VOTE_INPUTS = VOTE_FIELDS + ("expected_reason",)
VOTE_REQUIRED = VOTE_FIELDS[1:]

# What the file of a candidate holds (the 细则's list of materials). code → label
DOCUMENTS: dict[str, str] = {
    "application": "入党申请书",
    "talk": "谈话记录",
    "recommendation": "推荐/推优材料",
    "register": "入党积极分子培养教育考察登记表",
    "report": "思想汇报",
    "political_review": "政审材料/结论",
    "training": "集中培训证明",
    "pre_review": "预审结论",
    "volunteer_form": "入党志愿书",
    "publicity": "公示材料",
    "oath": "入党宣誓记录",
    "conversion_application": "转正申请书",
    "probation_review": "预备期考察材料",
    "conversion_decision": "转正决议与审批",
    "archive_index": "归档目录",
}
# Items the 归档 checklist may leave unticked: local practice, or only where the ruleset asks for it.
OPTIONAL_DOCUMENTS = {"report"}


def checklist(ruleset: Ruleset) -> list[str]:
    """The document codes step 25 must tick (the 细则's list of materials)."""
    codes = [code for code in DOCUMENTS if code not in OPTIONAL_DOCUMENTS]
    if not ruleset.publicity_workdays:
        codes.remove("publicity")
    return codes


# ---------------------------------------------------------------------------------------------- 2014


def _steps_2014() -> dict[int, Step]:
    steps = [
        Step(
            1,
            1,
            "递交入党申请书",
            ("content",),
            (),
            ("application",),
            "第五条、第六条",
            checks=("age18",),
            status="applicant",
            note="年满十八岁；向工作、学习所在单位党组织提出，无单位的向居住地党组织提出。",
        ),
        Step(
            2,
            1,
            "党组织派人谈话",
            ("talker", "content"),
            ("talker",),
            ("talk",),
            "第七条",
            rules=(
                TimeRule(
                    "FZ-talk",
                    "latest",
                    1,
                    months=1,
                    article="第七条",
                    text="党组织收到入党申请书后一个月内派人谈话",
                ),
            ),
        ),
        Step(
            3,
            2,
            "推荐和确定入党积极分子",
            ("decided_by", "content"),
            ("decided_by",),
            ("recommendation", "register"),
            "第八条",
            status="activist",
            note="采取党员推荐、群团组织推优等方式产生人选，由支部委员会（不设支部委员会的由支部大会）研究决定。",
        ),
        Step(4, 2, "上级党委备案", ("filed_with",), ("filed_with",), (), "第八条"),
        Step(
            5,
            2,
            "指定培养联系人",
            ("contacts",),
            ("contacts",),
            (),
            "第九条",
            checks=("contacts",),
            note="一至两名正式党员。",
        ),
        Step(
            6,
            2,
            "培养教育考察",
            ("opinion",),
            ("opinion",),
            ("register", "report"),
            "第十一条",
            rules=(
                TimeRule(
                    "FZ-review",
                    "latest",
                    "previous_review",
                    months=6,
                    article="第十一条",
                    text="党支部每半年对入党积极分子进行一次考察",
                ),
            ),
            repeatable=True,
            note="每半年考察一次，每次考察单独记录一条。",
        ),
        Step(
            7,
            3,
            "确定发展对象",
            ("decided_by", "publicity_start", "publicity_end", "content"),
            ("decided_by",),
            ("register",),
            "第十三条",
            rules=(
                TimeRule(
                    "FZ-04", "earliest", 3, months=12, article="第十三条", text="经过一年以上培养教育和考察"
                ),
            ),
            checks=("reviews", "publicity"),
            status="candidate",
            note="听取党小组、培养联系人、党员和群众意见，支部委员会讨论同意。",
        ),
        Step(8, 3, "报上级党委备案", ("filed_with",), ("filed_with",), (), "第十三条"),
        Step(
            9,
            3,
            "确定入党介绍人",
            ("introducers",),
            ("introducers",),
            (),
            "第十四条",
            checks=("introducers",),
            note="两名正式党员；预备党员和受留党察看处分尚未恢复党员权利的党员不能担任。",
        ),
        Step(
            10,
            3,
            "进行政治审查",
            ("review_result", "content"),
            ("review_result",),
            ("political_review",),
            "",
            checks=("political_review",),
            note="必须形成结论性材料；未经政治审查或政治审查不合格的不能发展入党。",
        ),
        Step(
            11,
            3,
            "开展集中培训",
            ("training_days", "training_hours", "organiser"),
            ("organiser",),
            ("training",),
            "第十八条",
            checks=("training",),
            note="时间一般不少于三天（或不少于二十四个学时）。",
        ),
        Step(12, 4, "支部委员会审查", ("content",), (), (), "第十九条"),
        Step(
            13,
            4,
            "上级党委预审",
            ("pre_review_result", "serial", "content"),
            ("pre_review_result", "serial"),
            ("pre_review",),
            "第十九条",
            checks=("pre_review",),
            note="预审合格的，发给《中国共产党入党志愿书》。",
        ),
        Step(14, 4, "填写入党志愿书", ("content",), (), ("volunteer_form",), ""),
        Step(
            15,
            4,
            "支部大会讨论",
            VOTE_INPUTS + ("content",),
            VOTE_REQUIRED,
            ("volunteer_form",),
            "第二十条、第二十一条",
            checks=("vote",),
            note="无记名投票，一个一个表决；赞成票超过应到会有表决权正式党员半数方为通过。",
        ),
        Step(16, 4, "上级党委派人谈话", ("talker", "content"), ("talker",), ("talk",), ""),
        Step(
            17,
            4,
            "上级党委审批",
            ("outcome", "content"),
            ("outcome",),
            ("volunteer_form",),
            "",
            rules=(
                TimeRule(
                    "FZ-approve", "latest", 15, months=3, article="", text="在支部大会通过决议后三个月内审批"
                ),
                TimeRule(
                    "FZ-approve-max",
                    "hard_latest",
                    15,
                    months=6,
                    article="",
                    text="特殊情况可适当延长审批时间，但不得超过六个月",
                ),
            ),
            checks=("approval",),
            status="probationary",
            note="批准后，入党日期为支部大会通过之日，预备期一年。",
        ),
        Step(18, 4, "再上一级党委组织部门备案", ("filed_with",), ("filed_with",), ()),
        Step(19, 5, "编入党支部和党小组", ("party_group",), (), ()),
        Step(20, 5, "入党宣誓", ("content",), (), ("oath",), "党章第六条"),
        Step(
            21,
            5,
            "继续教育考察",
            ("opinion",),
            ("opinion",),
            ("probation_review",),
            "党章第七条",
            repeatable=True,
            note="预备期一年，自支部大会通过之日算起。",
        ),
        Step(
            22,
            5,
            "提出转正申请",
            ("content",),
            (),
            ("conversion_application",),
            "党章第七条",
            note="预备期满时本人提出书面转正申请。",
        ),
        Step(
            23,
            5,
            "支部大会讨论",
            VOTE_INPUTS + ("conversion", "extension_months", "content"),
            VOTE_REQUIRED + ("conversion",),
            ("conversion_decision",),
            "第三十三条；党章第七条",
            rules=(
                TimeRule(
                    "FZ-probation",
                    "earliest",
                    "probation_end",
                    article="党章第七条",
                    text="预备期满时讨论转正（预备期一年，自支部大会通过之日算起）",
                ),
            ),
            checks=("vote", "conversion"),
            note="按期转正、延长预备期（不少于半年，最长不超过一年）或取消预备党员资格。",
        ),
        Step(
            24,
            5,
            "上级党委审批",
            ("outcome", "content"),
            ("outcome",),
            ("conversion_decision",),
            "",
            rules=(
                TimeRule(
                    "FZ-confirm",
                    "latest",
                    23,
                    months=3,
                    article="",
                    text="在支部大会通过转正决议后三个月内审批",
                ),
            ),
            checks=("approval",),
            status="full",
            note="转正日期为预备期满之日，党龄自转正之日算起（党章第七条）。",
        ),
        Step(25, 5, "材料归档", ("archive",), ("archive",), ("archive_index",), "", checks=("archive",)),
    ]
    return {s.number: s for s in steps}


RULESET_2014 = Ruleset(
    version="2014",
    title="中国共产党发展党员工作细则",
    effective_from=date(2014, 6, 10),
    confirmed=True,
    steps=_steps_2014(),
    publicity_workdays=0,
    source="中办发〔2014〕33号；中组部发展党员工作流程图（5个阶段25个步骤）",
)

# ---------------------------------------------------------------------------------------------- 2026 (reported)


def _unverified(step: Step) -> Step:
    """A step whose 2026 article number was not reported: cited by the regulation's name alone (the 2014 number
    is not carried over, as it may have moved); articles of the 党章 stay."""

    def mark(article: str) -> str:
        return article if article.startswith("党章") else ""

    return replace(
        step, article=mark(step.article), rules=tuple(replace(r, article=mark(r.article)) for r in step.rules)
    )


def _steps_2026() -> dict[int, Step]:
    s = {n: _unverified(step) for n, step in _steps_2014().items()}
    s[7] = replace(
        s[7],
        article="第十三条",
        note="公示不少于五个工作日后，支部委员会讨论，报上级党委同意（据报道）。",
        rules=(replace(s[7].rules[0], article="第十三条"),),
    )
    s[8] = replace(s[8], article="第十三条")
    s[11] = replace(s[11], article="第十七条")
    s[12] = replace(s[12], article="第十八条")
    s[13] = replace(s[13], article="第十八条")
    s[15] = replace(
        s[15],
        article="第十九条、第二十条",
        rules=(
            TimeRule(
                "FZ-assembly",
                "latest",
                13,
                months=1,
                article="第十九条",
                text="预审合格后一个月内提交支部大会讨论",
            ),
        ),
    )
    s[17] = replace(
        s[17], article="第二十五条", rules=tuple(replace(r, article="第二十五条") for r in s[17].rules)
    )
    s[20] = replace(
        s[20],
        article="第二十九条",
        rules=(
            TimeRule(
                "FZ-oath",
                "latest",
                17,
                months=1,
                article="第二十九条",
                text="上级党委批准后一个月内组织入党宣誓",
            ),
        ),
    )
    s[21] = replace(s[21], article="第二十八条、第三十一条")
    s[22] = replace(s[22], article="第三十二条")
    s[23] = replace(s[23], article="第三十二条", rules=(replace(s[23].rules[0], article="第二十八条"),))
    s[24] = replace(
        s[24], article="第三十三条", rules=tuple(replace(r, article="第三十三条") for r in s[24].rules)
    )
    s[25] = replace(s[25], article="第三十六条")
    return s


RULESET_2026 = Ruleset(
    version="2026",
    title="中国共产党发展党员工作细则",
    effective_from=date(2026, 5, 19),
    confirmed=False,
    steps=_steps_2026(),
    publicity_workdays=5,
    source="2026年5月修订（据人民日报2026-05-19中组部答记者问及第三方资料，条文与生效日期待核实）",
)

RULESETS: dict[str, Ruleset] = {r.version: r for r in (RULESET_2014, RULESET_2026)}
LAST_STEP = 25


def for_date(day: date) -> Ruleset:
    """The ruleset in force on a day: the newest one whose effective date is not later."""
    chosen = RULESET_2014
    for ruleset in sorted(RULESETS.values(), key=lambda r: r.effective_from):
        if ruleset.effective_from <= day:
            chosen = ruleset
    return chosen


def get(version: str) -> Ruleset:
    return RULESETS[version]


# ---------------------------------------------------------------------------------------------- date arithmetic


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month becomes its last day (1月31日 + 1 个月 = 2月28日)."""
    return core_months.shift(day, months)


def whole_months(start: date, end: date) -> int:
    """How many whole calendar months lie between two dates (2021-03-15 → 2022-03-15 is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def age_on(birth: date, day: date) -> int:
    return whole_months(birth, day) // 12
