"""Assemble an organisation's annual report from its records.

The result is a list of *blocks* (title, author, headings, paragraphs, date line). Each block is a dict:

    {"key": "perf.duty.meetings",      # stable across refreshes: how edits find their paragraph again
     "kind": "title" | "author" | "h1" | "h2" | "p" | "date",
     "text": "...",                    # what the report says (the secretary may edit it)
     "generated": "...",               # what the system wrote last time it generated this block
     "edited": False,                  # True once the secretary's text differs from the generated one
     "facts": [fact, ...],             # the figures in this block, each linked to its records
     "seen": {fact key: value}}        # the figures the current text was written against

and each fact is {"key", "label", "value", "text", "refs": [[model label, id], ...]}: `value` is what is
compared on refresh, `text` how it is written, `refs` the records it was counted from.

Every sentence here is the project's own wording; every number comes from a query. Paragraphs whose data
source is missing (another app not installed yet) or empty are left out rather than filled with a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from zhibu.core.cn import number_chinese, year_month_chinese_numerals
from zhibu.core.months import last_day
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.orgs.selectors import secretary_on, secretary_test

from .rounding import approx_chars

ACTIVITY = "records.activity"
STATUS_EVENT = "people.statusevent"
ORDINALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 11 → 十一 (for 一、 and （一） headings)."""
    return number_chinese(n)


@dataclass
class Fact:
    key: str
    label: str
    value: object
    text: str
    refs: list = field(default_factory=list)
    url: str = ""  # where the figure itself is shown (e.g. the superior's ranking page), when it has a page

    def as_dict(self) -> dict:
        out = {"key": self.key, "label": self.label, "value": self.value, "text": self.text,
               "refs": [[str(label), int(pk)] for label, pk in self.refs]}
        if self.url:
            out["url"] = self.url
        return out


def block(key: str, kind: str, text: str, facts: list[Fact] | None = None) -> dict:
    fact_dicts = [f.as_dict() for f in facts or []]
    return {"key": key, "kind": kind, "text": text, "generated": text, "edited": False, "facts": fact_dicts,
            "seen": {f["key"]: f["value"] for f in fact_dicts}}


# ---- data gathering ---------------------------------------------------------------------------------------

@dataclass
class Data:
    """Everything the text needs, gathered once (a handful of queries)."""

    actor: object
    org: Organisation
    year: int
    activities: dict = field(default_factory=dict)  # kind code → [(id, held_on, topic, speaker_id)]
    below_quorum: list = field(default_factory=list)  # 支委会 below quorum, left out of every figure
    became: dict = field(default_factory=dict)  # status → [event ids]
    secretary: str = ""
    secretary_member_id: int | None = None
    is_secretary: Callable[[int | None, date], bool] = lambda member_id, day: False  # the 书记 on that day
    work: dict | None = None  # work.selectors.year_figures → {"values", "sources"}
    problems: list | None = None
    previous_problems: list | None = None
    plans: list | None = None
    note_chars: dict | None = None  # {"value": int, "refs": [...]}
    rank: dict | None = None  # {"value": int, "month": int, "refs": [...]}
    green_months: dict | None = None  # {"value": int, "refs": [...]}
    missing: list = field(default_factory=list)  # data sources not available (for the page)


def gather(actor, org: Organisation, year: int) -> Data:
    from zhibu.people.models import StatusEvent
    from zhibu.records.models import Activity

    scoping.require(actor, Action.VIEW, org)
    data = Data(actor=actor, org=org, year=year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = (Activity.objects.visible_to(actor, Action.VIEW)
            .filter(org=org, held_on__gte=first, held_on__lte=last)
            .order_by("held_on", "id").values_list("id", "kind__code", "held_on", "topic", "speaker_id",
                                                   "kind__checks_quorum", "committee_size", "committee_present"))
    for pk, code, held_on, topic, speaker_id, checks_quorum, size, present in rows:
        if checks_quorum and size and present * 2 <= size:
            # 未达法定人数: not a lawful 支委会 (支部工作条例 第十二条), so not one of the year's meetings
            data.below_quorum.append((pk, held_on, topic, speaker_id))
            continue
        data.activities.setdefault(code, []).append((pk, held_on, topic, speaker_id))
    events = (StatusEvent.objects.visible_to(actor, Action.VIEW)
              .filter(member__branch=org, on__gte=first, on__lte=last).order_by("on", "id")
              .values_list("id", "status"))
    for pk, status in events:
        data.became.setdefault(status, []).append(pk)
    # the 书记 of that year (at its end): a later 换届 does not change who signs a past year's report
    holder = secretary_on(org, on=min(last, timezone.localdate()))
    data.is_secretary = secretary_test(org)
    if holder:
        data.secretary_member_id, data.secretary = holder.member_id, holder.name
    else:
        data.secretary = org.secretary_name
    _gather_work(data)
    _gather_study(data)
    _gather_lights(data)
    return data


def _optional(data: Data, name: str, call: Callable):
    """Call another app's selector; a missing app or function leaves its paragraphs out."""
    try:
        return call()
    except (ImportError, AttributeError, NotImplementedError):
        data.missing.append(name)
        return None


def _gather_work(data: Data) -> None:
    def selectors():
        from zhibu.work import selectors as work

        return work

    work = _optional(data, "work", selectors)
    if work is None:
        return
    actor, org, year = data.actor, data.org, data.year
    data.work = _optional(data, "work.year_figures", lambda: work.year_figures(actor, org, year))
    data.problems = _optional(data, "work.problems", lambda: work.problems(actor, org, year))
    data.previous_problems = _optional(data, "work.problems", lambda: work.problems(actor, org, year - 1))
    data.plans = _optional(data, "work.plans", lambda: work.plans(actor, org, year + 1))


def _normalise(result) -> dict | None:
    """Accept a bare number, a (place, out of) pair, or a dict with value/refs from another app's selector."""
    if result is None:
        return None
    if isinstance(result, int | float):
        return {"value": int(result), "refs": []}
    if isinstance(result, tuple | list) and result and isinstance(result[0], int):
        return {"value": int(result[0]), "total": int(result[1]) if len(result) > 1 else None, "refs": []}
    if isinstance(result, dict) and result.get("value") is not None:
        refs = [list(r) for r in result.get("refs", result.get("sources", []))]
        return {**result, "value": int(result["value"]), "refs": refs}
    return None


def _gather_study(data: Data) -> None:
    def selectors():
        from zhibu.study import selectors as study

        return study

    study = _optional(data, "study", selectors)
    if study is None:
        return
    actor, org, year = data.actor, data.org, data.year
    data.note_chars = _normalise(_optional(data, "study.note_chars", lambda: study.note_chars(actor, org, year)))
    if data.note_chars and data.note_chars["value"]:
        data.note_chars["refs"] = _optional(data, "study.models", lambda: _note_refs(actor, org, year)) or []
    data.rank = _optional(data, "study.branch_rank", lambda: _rank(study, actor, org, year, 12))


def _rank(study, actor, org: Organisation, year: int, month: int) -> dict | None:
    """The branch's place in the superior's study ranking of `month`, only when the superior has the ranking
    switched on and there is a ranking for that month: its refs are the branch's study points of the month and
    its url the ranking page. Otherwise None, and the report leaves the sentence out."""
    from django.urls import reverse

    from zhibu.study.models import StudyPoints

    parent = Organisation.objects.get_parent(org)
    if parent is None or not study.rankings_enabled(parent):
        return None
    place = _normalise(study.branch_rank(org, year, month))
    if place is None:
        return None
    start = date(year, month, 1)
    end = last_day(start)
    ids = (StudyPoints.objects.visible_to(actor, Action.VIEW)
           .filter(member__branch=org, on__gte=start, on__lte=end, day_points__gt=0).values_list("id", flat=True))
    place.update(month=month, refs=[["study.studypoints", pk] for pk in ids],
                 url=f"{reverse('study:ranking', args=[org.code])}?month={year:04d}-{month:02d}")
    return place


def _note_refs(actor, org: Organisation, year: int) -> list:
    """The political-study notes behind the character count (the study app counts the org's subtree)."""
    from zhibu.study.models import StudyNote

    low, high = org.subtree_bounds()
    ids = (StudyNote.objects.visible_to(actor, Action.VIEW)
           .filter(activity__org__path__gte=low, activity__org__path__lte=high,
                   activity__kind__code="political-study",
                   activity__held_on__gte=date(year, 1, 1), activity__held_on__lte=date(year, 12, 31))
           .values_list("id", flat=True))
    return [["study.studynote", pk] for pk in ids]


def _gather_lights(data: Data) -> None:
    """Months whose organisational-life light is green, from the rules app's evaluation of the branch's year."""
    def selectors():
        from zhibu.rules import selectors as rules

        return rules

    rules = _optional(data, "rules", selectors)
    if rules is None or not data.org.is_branch:
        return

    def count():
        from zhibu.rules.models import MonthLight

        year_view = rules.branch_year(actor=data.actor, org=data.org, year=data.year, details=False)
        green = [m.month for m in year_view.months if m.colour == "green"]
        ids = (MonthLight.objects.visible_to(data.actor, Action.SCHEDULE)
               .filter(org=data.org, year=data.year, month__in=green).values_list("id", flat=True))
        return {"value": len(green), "refs": [["rules.monthlight", pk] for pk in ids]}

    data.green_months = _normalise(_optional(data, "rules.branch_year", count))


# ---- the text -----------------------------------------------------------------------------------------------

def _work(data: Data, key: str, default=None):
    if not data.work:
        return default
    return data.work["values"].get(key, default)


def _refs(data: Data, key: str) -> list:
    if not data.work:
        return []
    return [list(r) for r in data.work["sources"].get(key, [])]


def _acts(data: Data, *codes: str) -> list:
    return [row for code in codes for row in data.activities.get(code, [])]


def _name(n: str) -> str:
    """A name in quotation marks, unless it already carries its own (“最美卧幼人”故事评选)."""
    n = n.strip()
    return n if any(mark in n for mark in "“”《》\"") else f"“{n}”"


def _quoted(names) -> str:
    return "、".join(_name(n) for n in names)


def duty_paragraphs(data: Data) -> list[dict]:
    """（一）: meetings, service, spaces, publicity, mentoring and model posts, training, selections, growth."""
    out = []
    general, committee = _acts(data, "general-meeting"), _acts(data, "committee-meeting")
    if general or committee:
        n = len(general) + len(committee)
        facts = [Fact("branch_meetings", "召开支部会", n, f"{n}次", [(ACTIVITY, r[0]) for r in general + committee]),
                 Fact("general_meetings", "支部党员大会", len(general), f"{len(general)}次",
                      [(ACTIVITY, r[0]) for r in general]),
                 Fact("committee_meetings", "支部委员会会议", len(committee), f"{len(committee)}次",
                      [(ACTIVITY, r[0]) for r in committee])]
        out.append(block("perf.duty.meetings", "p",
                         f"全年召开支部会{n}次（其中支部党员大会{len(general)}次、支部委员会会议{len(committee)}次），"
                         "把单位发展中遇到的难点拿到会上专题研究、逐项解决。", facts))
    service = _work(data, "service_count", 0)
    if service:
        out.append(block("perf.duty.service", "p",
                         f"党员干部主动走到群众身边，全年帮助教职工和服务对象解决实际困难{service}次。",
                         [Fact("service_count", "解决实际困难", service, f"{service}次", _refs(data, "service_count"))]))
    spaces = _work(data, "spaces", [])
    if spaces:
        out.append(block("perf.duty.spaces", "p",
                         f"建好用好{_quoted(spaces)}等{len(spaces)}处党建活动阵地。",
                         [Fact("spaces", "党建活动阵地", len(spaces), f"{len(spaces)}处", _refs(data, "spaces"))]))
    national, other = _work(data, "publicity_national_study", 0), _work(data, "publicity_other", 0)
    if national or other:
        parts, facts = [], []
        if national:
            parts.append(f"向学习强国平台供稿{national}篇")
            facts.append(Fact("publicity_national_study", "学习强国供稿", national, f"{national}篇",
                              _refs(data, "publicity_national_study")))
        if other:
            parts.append(f"在各类平台和视频号发布稿件{other}篇")
            facts.append(Fact("publicity_other", "其他平台和视频号发布", other, f"{other}篇",
                              _refs(data, "publicity_other")))
        text = "做好党建宣传，" + "，".join(parts) + "。"
        titles = _work(data, "local_media_titles", [])
        if titles:
            shown = "、".join(f"《{t}》" for t in titles[:3])
            text += f"{shown}{'等' if len(titles) > 1 else ''}报道被地方媒体刊发。"
            facts.append(Fact("local_media", "地方媒体刊发", len(titles), f"{len(titles)}篇",
                              _refs(data, "local_media_titles")))
        out.append(block("perf.duty.publicity", "p", text, facts))
    pairs, posts = _work(data, "mentoring_pairs", 0), _work(data, "model_posts", 0)
    if pairs or posts:
        parts, facts = [], []
        if pairs:
            parts.append(f"推进“青蓝工程”，结成师徒{pairs}对")
            facts.append(Fact("mentoring_pairs", "师徒结对", pairs, f"{pairs}对", _refs(data, "mentoring_pairs")))
        if posts:
            parts.append(f"设立党员示范岗{posts}个")
            facts.append(Fact("model_posts", "党员示范岗", posts, f"{posts}个", _refs(data, "model_posts")))
        out.append(block("perf.duty.mentoring", "p", "把党建与业务工作结合起来，" + "，".join(parts) + "。", facts))
    chars = _work(data, "reflection_chars", 0)
    if chars:
        count = _work(data, "reflection_count", 0)
        trainings = _acts(data, "training")
        named = f"组织{_quoted(r[2] for r in trainings[:2])}等专题培训，" if trainings else "组织专题培训，"
        out.append(block("perf.duty.reflections", "p",
                         f"{named}党员教师撰写学习心得{count}篇，汇编成集共{approx_chars(chars)}。",
                         [Fact("reflection_chars", "学习心得字数", chars, approx_chars(chars),
                               _refs(data, "reflection_chars")),
                          Fact("reflection_count", "学习心得篇数", count, f"{count}篇",
                               _refs(data, "reflection_count"))]))
    selections = _work(data, "selections", [])
    if selections:
        winners = sum(s["winners"] for s in selections)
        text = f"开展{_quoted(s['name'] for s in selections)}等选树评选活动"
        text += f"，评出先进典型{winners}名（个），用身边榜样带动身边人。" if winners else "，用身边榜样带动身边人。"
        out.append(block("perf.duty.selections", "p", text,
                         [Fact("selections", "选树评选活动", len(selections), f"{len(selections)}项",
                               _refs(data, "selections")),
                          Fact("selection_winners", "评出先进典型", winners, f"{winners}名（个）",
                               _refs(data, "selections"))]))
    probationary, activists = data.became.get("probationary", []), data.became.get("activist", [])
    if probationary or activists:
        parts, facts = [], []
        if probationary:
            parts.append(f"{len(probationary)}名入党积极分子转为预备党员")
            facts.append(Fact("new_probationary", "转为预备党员", len(probationary), f"{len(probationary)}名",
                              [(STATUS_EVENT, i) for i in probationary]))
        if activists:
            parts.append(f"{len(activists)}名同志被确定为入党积极分子")
            facts.append(Fact("new_activists", "确定为入党积极分子", len(activists), f"{len(activists)}名",
                              [(STATUS_EVENT, i) for i in activists]))
        out.append(block("perf.duty.growth", "p",
                         f"{data.year}年，" + "，".join(parts) + "，党员队伍持续壮大。", facts))
    return out


def study_paragraphs(data: Data) -> list[dict]:
    """（二）: daily study and its ranking, weekly political study, monthly theme days, lectures, lights, team."""
    out = []
    if data.rank and data.rank["value"]:
        month, rank = data.rank["month"], data.rank["value"]
        out.append(block("perf.study.rank", "p",
                         f"坚持每日学习强国学习并公布学习情况，在上级党委{month}月份的学习强国排名中，本支部位列第{ordinal(rank)}。",
                         [Fact("study_rank", f"{month}月学习强国排名", rank, f"第{ordinal(rank)}", data.rank["refs"],
                               url=data.rank.get("url", ""))]))
    studies = _acts(data, "political-study")
    if studies:
        facts = [Fact("political_studies", "集体政治学习", len(studies), f"{len(studies)}次",
                      [(ACTIVITY, r[0]) for r in studies])]
        text = f"坚持每周集体政治学习制度，全年开展{len(studies)}次"
        if data.note_chars and data.note_chars["value"]:
            chars = data.note_chars["value"]
            text += f"，党员教师撰写学习笔记和反思{approx_chars(chars)}"
            facts.append(Fact("note_chars", "政治学习笔记字数", chars, approx_chars(chars), data.note_chars["refs"]))
        out.append(block("perf.study.weekly", "p", text + "，理论素养不断提升。", facts))
    themes = _acts(data, "theme-day")
    if themes:
        topics: list[str] = []
        for row in themes:
            if row[2] not in topics:
                topics.append(row[2])
        out.append(block("perf.study.theme_days", "p",
                         f"每月开展一次主题党日，全年{len(themes)}次，结合节日和重要节点组织了"
                         f"{_quoted(topics[:12])}{'等' if len(topics) > 12 else ''}活动，"
                         "加强党员党性教育。",
                         [Fact("theme_days", "主题党日", len(themes), f"{len(themes)}次",
                               [(ACTIVITY, r[0]) for r in themes])]))
    lectures = _acts(data, "party-lecture")
    if lectures:
        by_secretary = [r for r in lectures if data.is_secretary(r[3], r[1])]
        text = f"全年讲授党课{len(lectures)}次"
        facts = [Fact("party_lectures", "党课", len(lectures), f"{len(lectures)}次", [(ACTIVITY, r[0]) for r in lectures])]
        if by_secretary:
            text += f"，其中支部书记讲党课{len(by_secretary)}次，以《{by_secretary[0][2]}》等为题宣讲党的创新理论"
            facts.append(Fact("secretary_lectures", "书记讲党课", len(by_secretary), f"{len(by_secretary)}次",
                              [(ACTIVITY, r[0]) for r in by_secretary]))
        out.append(block("perf.study.lectures", "p", text + "。", facts))
    if data.green_months and data.green_months["value"] is not None:
        n = data.green_months["value"]
        out.append(block("perf.study.lights", "p",
                         f"按时在线上平台记录和上传组织生活材料，实行组织生活亮灯管理，全年{n}个月亮绿灯。",
                         [Fact("green_months", "亮绿灯月份", n, f"{n}个月", data.green_months["refs"])]))
    for team in _work(data, "propaganda_teams", []):
        talks, awards = team["talks"], team["awards"]
        if not (talks or awards):
            continue
        text = f"成立{_name(team['name'])}，队员{len(team['members'])}人"
        facts = [Fact(f"team_{team['id']}_members", "宣讲队员", len(team["members"]), f"{len(team['members'])}人",
                      [("work.propagandateam", team["id"])])]
        if talks:
            text += f"，全年宣讲{len(talks)}场，《{talks[0]['title']}》等宣讲深入人心"
            facts.append(Fact(f"team_{team['id']}_talks", "宣讲场次", len(talks), f"{len(talks)}场",
                              [("work.teamtalk", t["id"]) for t in talks]))
        for award in awards:
            text += f"；在{award['level']}{_name(award['competition'])}中荣获{award['prize']}"
            facts.append(Fact(f"award_{award['id']}", "宣讲获奖", award["prize"], award["prize"],
                              [("work.teamaward", award["id"])]))
        out.append(block(f"perf.study.team.{team['id']}", "p", text + "。", facts))
    return out


def mentoring_paragraphs(data: Data) -> list[dict]:
    """（三）: mentoring pairs and their showcase lessons."""
    lessons = _work(data, "showcase_lesson_count", 0)
    pairs = _work(data, "mentoring_pairs", 0)
    if not lessons:
        return []
    months = sorted(_work(data, "showcase_months", set()))
    when = "、".join(f"{number_chinese(m)}月份" for m in months)
    text = (f"引导青年教师在日常教学中主动总结、反思。{when}开展{pairs}对师徒结对汇报展示课活动，"
            f"共展示{lessons}节课，党员教师和青年教师轮流登台，展示了扎实的基本功和教学素养。")
    return [block("perf.mentoring.lessons", "p", text,
                  [Fact("showcase_pairs", "师徒结对", pairs, f"{pairs}对", _refs(data, "mentoring_pairs")),
                   Fact("showcase_lessons", "汇报展示课", lessons, f"{lessons}节", _refs(data, "showcase_lesson_count"))])]


def _problem_text(index: int, p: dict) -> str:
    head = p["category"].rstrip("。")
    return f"（{ordinal(index)}）{head}。{p['description']}"


def build(actor, org: Organisation, year: int, *, data: Data | None = None) -> dict:
    """The report content for an organisation and a year (not saved)."""
    data = data or gather(actor, org, year)
    blocks = [
        block("title", "title", f"{year}年度组织生活会党建工作述职评议报告"),
        block("author", "author", f"{org.name}书记 {data.secretary}".strip()),
        block("intro", "p",
              f"{year}年，{org.name}坚持以习近平新时代中国特色社会主义思想为指导，认真落实上级党组织的各项部署，"
              "履行基层党建工作责任，围绕中心抓党建、抓好党建促发展。现将一年来的党建工作情况报告如下："),
    ]
    number = 0

    def h1(key: str, title: str) -> None:
        nonlocal number
        number += 1
        blocks.append(block(key, "h1", f"{ordinal(number)}、{title}"))

    h1("perf.h", "履职情况")
    subsections = [
        ("perf.duty", "履行党建职责，推动中心工作", duty_paragraphs(data)),
        ("perf.study", "落实学习制度，加强思想建设", study_paragraphs(data)),
        ("perf.mentoring", "党员与青年教师结对帮扶，党建引领教学", mentoring_paragraphs(data)),
    ]
    sub = 0
    for key, title, paragraphs in subsections:
        if not paragraphs:
            continue
        sub += 1
        blocks.append(block(f"{key}.h", "h2", f"（{ordinal(sub)}）{title}"))
        blocks.extend(paragraphs)

    if data.previous_problems:
        h1("previous.h", "上年度问题整改情况")
        for i, p in enumerate(data.previous_problems, start=1):
            text = f"（{ordinal(i)}）{p['category'].rstrip('。')}：{p['status_label']}。"
            if p.get("measures"):
                text += f"整改措施：{p['measures'].rstrip('。')}。"
            if p.get("evidence"):
                text += f"整改成效：{p['evidence'].rstrip('。')}。"
            blocks.append(block(f"previous.{p['id']}", "p", text,
                                [Fact(f"previous_{p['id']}_status", "整改状态", p["status"], p["status_label"],
                                      [("work.problem", p["id"])])]))

    h1("problems.h", "存在问题")
    if data.problems:
        for i, p in enumerate(data.problems, start=1):
            blocks.append(block(f"problem.{p['id']}", "p", _problem_text(i, p),
                                [Fact(f"problem_{p['id']}", "问题清单", p["category"], p["category"],
                                      [("work.problem", p["id"])])]))
    else:
        blocks.append(block("problems.empty", "p", ""))

    h1("plan.h", "下步工作计划")
    goals = [p for p in data.plans or [] if p["section"] == "goal"]
    directions = [p for p in data.plans or [] if p["section"] == "direction"]
    for sub_index, (key, title, items) in enumerate(
            [("plan.goals", "工作目标", goals), ("plan.directions", "工作方向", directions)], start=1):
        blocks.append(block(f"{key}.h", "h2", f"（{ordinal(sub_index)}）{title}"))
        if not items:
            blocks.append(block(f"{key}.empty", "p", ""))
        for i, p in enumerate(items, start=1):
            head = p["title"].rstrip("。")
            text = f"{i}.{head}。{p['text']}" if p.get("text") else f"{i}.{head}。"
            blocks.append(block(f"plan.{p['id']}", "p", text, [Fact(f"plan_{p['id']}", title, p["title"], p["title"],
                                                                   [("work.plan", p["id"])])]))

    blocks.append(block("closing", "p",
                        f"新的一年，{org.name}将继续坚守初心使命，把党建工作抓在手上、落到实处，"
                        "以高质量党建引领和保障各项工作高质量发展。"))
    blocks.append(block("date", "date", year_month_chinese_numerals(date(year + 1, 3, 1))))
    return {"org": org.code, "year": year, "blocks": blocks, "missing": sorted(set(data.missing))}


# ---- refresh without losing edits ----------------------------------------------------------------------------

def changed_facts(b: dict) -> list[dict]:
    """The facts of a block whose value differs from the one its text was written against."""
    seen = b.get("seen", {})
    return [f for f in b.get("facts", []) if f["key"] in seen and seen[f["key"]] != f["value"]] + \
        [f for f in b.get("facts", []) if f["key"] not in seen and b.get("edited")]


def merge(old: dict, new: dict) -> dict:
    """Refresh `old` (a saved report's content) with freshly generated `new` content.

    - A block the secretary has not edited takes the new text and figures.
    - An edited block keeps its text; its facts are updated (so the records shown are current) but `seen`
      keeps the values the text was written against, so the page warns where a figure changed.
    - An edited block that the new content no longer produces is kept where it was, marked `orphan`.
    - New blocks appear in their generated place.
    """
    old_blocks = {b["key"]: b for b in old.get("blocks", [])}
    result = []
    new_keys = set()
    for b in new["blocks"]:
        new_keys.add(b["key"])
        previous = old_blocks.get(b["key"])
        if previous and previous.get("edited"):
            result.append({**b, "text": previous["text"], "edited": True, "seen": previous.get("seen", {})})
        else:
            result.append(b)
    # Keep edited blocks that disappeared, after the block that preceded them in the old order.
    order = [b["key"] for b in old.get("blocks", [])]
    for index, key in enumerate(order):
        b = old_blocks[key]
        if key in new_keys or not b.get("edited"):
            continue
        anchor = next((order[j] for j in range(index - 1, -1, -1) if order[j] in new_keys), None)
        position = next((i + 1 for i, r in enumerate(result) if r["key"] == anchor), 0) if anchor else 0
        result.insert(position, {**b, "orphan": True})
        new_keys.add(key)
    return {**new, "blocks": result}


def apply_edit(b: dict, text: str) -> dict:
    """The secretary saved `text` for a block: it is edited unless it equals the generated text, and the
    figures it now stands on are the current ones (which clears any change warning)."""
    text = text.replace("\r\n", "\n").strip()
    return {**b, "text": text, "edited": text != b.get("generated", ""),
            "seen": {f["key"]: f["value"] for f in b.get("facts", [])}}
