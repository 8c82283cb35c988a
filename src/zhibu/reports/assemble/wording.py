"""Wording: the report's sentences, written from the gathered figures (`gather.Figures`).

Every sentence here is the project's own wording; every number comes from a figure, and every figure is stated
with the records it was counted from. A paragraph whose figures are all zero is left out (a branch that
registered no service does not report "0 次"); an empty section heading is left out with it.
"""

from __future__ import annotations

from datetime import date

from zhibu.core.cn import number_chinese, year_month_chinese_numerals

from ..rounding import approx_chars
from .blocks import Fact, block
from .gather import Figures, ProblemItem

ACTIVITY = "records.activity"
STATUS_EVENT = "people.statusevent"


def ordinal(n: int) -> str:
    """1 → 一, 11 → 十一 (for 一、 and （一） headings)."""
    return number_chinese(n)


def _name(n: str) -> str:
    """A name in quotation marks, unless it already carries its own (“最美卧幼人”故事评选)."""
    n = n.strip()
    return n if any(mark in n for mark in '“”《》"') else f"“{n}”"


def _quoted(names) -> str:
    return "、".join(_name(n) for n in names)


def _ids(rows, label: str = ACTIVITY) -> list[tuple[str, int]]:
    return [(label, r.id) for r in rows]


def duty_paragraphs(fig: Figures) -> list[dict]:
    """（一）: meetings, service, spaces, publicity, mentoring and model posts, training, selections, growth."""
    out = []
    w = fig.work
    general, committee = fig.acts("general-meeting"), fig.acts("committee-meeting")
    if general or committee:
        n = len(general) + len(committee)
        facts = [
            Fact("branch_meetings", "召开支部会", n, f"{n}次", _ids(general + committee)),
            Fact("general_meetings", "支部党员大会", len(general), f"{len(general)}次", _ids(general)),
            Fact(
                "committee_meetings", "支部委员会会议", len(committee), f"{len(committee)}次", _ids(committee)
            ),
        ]
        out.append(
            block(
                "perf.duty.meetings",
                "p",
                f"全年召开支部会{n}次（其中支部党员大会{len(general)}次、支部委员会会议{len(committee)}次），"
                "把单位发展中遇到的难点拿到会上专题研究、逐项解决。",
                facts,
            )
        )
    if w.service_count:
        out.append(
            block(
                "perf.duty.service",
                "p",
                f"党员干部主动走到群众身边，全年帮助教职工和服务对象解决实际困难{w.service_count}次。",
                [
                    Fact(
                        "service_count",
                        "解决实际困难",
                        w.service_count,
                        f"{w.service_count}次",
                        w.refs("service_count"),
                    )
                ],
            )
        )
    if w.spaces:
        out.append(
            block(
                "perf.duty.spaces",
                "p",
                f"建好用好{_quoted(w.spaces)}等{len(w.spaces)}处党建活动阵地。",
                [Fact("spaces", "党建活动阵地", len(w.spaces), f"{len(w.spaces)}处", w.refs("spaces"))],
            )
        )
    national, other = w.publicity_national_study, w.publicity_other
    if national or other:
        parts, facts = [], []
        if national:
            parts.append(f"向学习强国平台供稿{national}篇")
            facts.append(
                Fact(
                    "publicity_national_study",
                    "学习强国供稿",
                    national,
                    f"{national}篇",
                    w.refs("publicity_national_study"),
                )
            )
        if other:
            parts.append(f"在各类平台和视频号发布稿件{other}篇")
            facts.append(
                Fact(
                    "publicity_other", "其他平台和视频号发布", other, f"{other}篇", w.refs("publicity_other")
                )
            )
        text = "做好党建宣传，" + "，".join(parts) + "。"
        titles = w.local_media_titles
        if titles:
            shown = "、".join(f"《{t}》" for t in titles[:3])
            text += f"{shown}{'等' if len(titles) > 1 else ''}报道被地方媒体刊发。"
            facts.append(
                Fact(
                    "local_media",
                    "地方媒体刊发",
                    len(titles),
                    f"{len(titles)}篇",
                    w.refs("local_media_titles"),
                )
            )
        out.append(block("perf.duty.publicity", "p", text, facts))
    pairs, posts = w.mentoring_pairs, w.model_posts
    if pairs or posts:
        parts, facts = [], []
        if pairs:
            parts.append(f"推进“青蓝工程”，结成师徒{pairs}对")
            facts.append(Fact("mentoring_pairs", "师徒结对", pairs, f"{pairs}对", w.refs("mentoring_pairs")))
        if posts:
            parts.append(f"设立党员示范岗{posts}个")
            facts.append(Fact("model_posts", "党员示范岗", posts, f"{posts}个", w.refs("model_posts")))
        out.append(
            block("perf.duty.mentoring", "p", "把党建与业务工作结合起来，" + "，".join(parts) + "。", facts)
        )
    if w.reflection_chars:
        chars, count = w.reflection_chars, w.reflection_count
        trainings = fig.acts("training")
        named = (
            f"组织{_quoted(r.topic for r in trainings[:2])}等专题培训，" if trainings else "组织专题培训，"
        )
        out.append(
            block(
                "perf.duty.reflections",
                "p",
                f"{named}党员教师撰写学习心得{count}篇，汇编成集共{approx_chars(chars)}。",
                [
                    Fact(
                        "reflection_chars",
                        "学习心得字数",
                        chars,
                        approx_chars(chars),
                        w.refs("reflection_chars"),
                    ),
                    Fact("reflection_count", "学习心得篇数", count, f"{count}篇", w.refs("reflection_count")),
                ],
            )
        )
    if w.selections:
        winners = sum(s.winners for s in w.selections)
        text = f"开展{_quoted(s.name for s in w.selections)}等选树评选活动"
        text += (
            f"，评出先进典型{winners}名（个），用身边榜样带动身边人。"
            if winners
            else "，用身边榜样带动身边人。"
        )
        out.append(
            block(
                "perf.duty.selections",
                "p",
                text,
                [
                    Fact(
                        "selections",
                        "选树评选活动",
                        len(w.selections),
                        f"{len(w.selections)}项",
                        w.refs("selections"),
                    ),
                    Fact(
                        "selection_winners",
                        "评出先进典型",
                        winners,
                        f"{winners}名（个）",
                        w.refs("selections"),
                    ),
                ],
            )
        )
    probationary, activists = fig.became.get("probationary", ()), fig.became.get("activist", ())
    if probationary or activists:
        parts, facts = [], []
        if probationary:
            parts.append(f"{len(probationary)}名入党积极分子转为预备党员")
            facts.append(
                Fact(
                    "new_probationary",
                    "转为预备党员",
                    len(probationary),
                    f"{len(probationary)}名",
                    [(STATUS_EVENT, i) for i in probationary],
                )
            )
        if activists:
            parts.append(f"{len(activists)}名同志被确定为入党积极分子")
            facts.append(
                Fact(
                    "new_activists",
                    "确定为入党积极分子",
                    len(activists),
                    f"{len(activists)}名",
                    [(STATUS_EVENT, i) for i in activists],
                )
            )
        out.append(
            block(
                "perf.duty.growth", "p", f"{fig.year}年，" + "，".join(parts) + "，党员队伍持续壮大。", facts
            )
        )
    return out


def study_paragraphs(fig: Figures) -> list[dict]:
    """（二）: daily study and its ranking, weekly political study, monthly theme days, lectures, lights, team."""
    out = []
    if fig.rank and fig.rank.place:
        month, place = fig.rank.month, fig.rank.place
        out.append(
            block(
                "perf.study.rank",
                "p",
                f"坚持每日学习强国学习并公布学习情况，在上级党委{month}月份的学习强国排名中，本支部位列第{ordinal(place)}。",
                [
                    Fact(
                        "study_rank",
                        f"{month}月学习强国排名",
                        place,
                        f"第{ordinal(place)}",
                        fig.rank.refs,
                        url=fig.rank.url,
                    )
                ],
            )
        )
    studies = fig.acts("political-study")
    if studies:
        facts = [Fact("political_studies", "集体政治学习", len(studies), f"{len(studies)}次", _ids(studies))]
        text = f"坚持每周集体政治学习制度，全年开展{len(studies)}次"
        if fig.note_chars.value:
            chars = fig.note_chars.value
            text += f"，党员教师撰写学习笔记和反思{approx_chars(chars)}"
            facts.append(
                Fact("note_chars", "政治学习笔记字数", chars, approx_chars(chars), fig.note_chars.refs)
            )
        out.append(block("perf.study.weekly", "p", text + "，理论素养不断提升。", facts))
    themes = fig.acts("theme-day")
    if themes:
        topics: list[str] = []
        for row in themes:
            if row.topic not in topics:
                topics.append(row.topic)
        out.append(
            block(
                "perf.study.theme_days",
                "p",
                f"每月开展一次主题党日，全年{len(themes)}次，结合节日和重要节点组织了"
                f"{_quoted(topics[:12])}{'等' if len(topics) > 12 else ''}活动，"
                "加强党员党性教育。",
                [Fact("theme_days", "主题党日", len(themes), f"{len(themes)}次", _ids(themes))],
            )
        )
    lectures = fig.acts("party-lecture")
    if lectures:
        by_secretary = [r for r in lectures if fig.is_secretary(r.speaker_id, r.held_on)]
        text = f"全年讲授党课{len(lectures)}次"
        facts = [Fact("party_lectures", "党课", len(lectures), f"{len(lectures)}次", _ids(lectures))]
        if by_secretary:
            text += f"，其中支部书记讲党课{len(by_secretary)}次，以《{by_secretary[0].topic}》等为题宣讲党的创新理论"
            facts.append(
                Fact(
                    "secretary_lectures",
                    "书记讲党课",
                    len(by_secretary),
                    f"{len(by_secretary)}次",
                    _ids(by_secretary),
                )
            )
        out.append(block("perf.study.lectures", "p", text + "。", facts))
    if fig.green_months is not None:
        n = fig.green_months.value
        out.append(
            block(
                "perf.study.lights",
                "p",
                f"按时在线上平台记录和上传组织生活材料，实行组织生活亮灯管理，全年{n}个月亮绿灯。",
                [Fact("green_months", "亮绿灯月份", n, f"{n}个月", fig.green_months.refs)],
            )
        )
    for team in fig.work.propaganda_teams:
        if not (team.talks or team.awards):
            continue
        text = f"成立{_name(team.name)}，队员{team.members}人"
        facts = [
            Fact(
                f"team_{team.id}_members",
                "宣讲队员",
                team.members,
                f"{team.members}人",
                [("work.propagandateam", team.id)],
            )
        ]
        if team.talks:
            text += f"，全年宣讲{len(team.talks)}场，《{team.talks[0].title}》等宣讲深入人心"
            facts.append(
                Fact(
                    f"team_{team.id}_talks",
                    "宣讲场次",
                    len(team.talks),
                    f"{len(team.talks)}场",
                    [("work.teamtalk", t.id) for t in team.talks],
                )
            )
        for award in team.awards:
            text += f"；在{award.level}{_name(award.competition)}中荣获{award.prize}"
            facts.append(
                Fact(
                    f"award_{award.id}", "宣讲获奖", award.prize, award.prize, [("work.teamaward", award.id)]
                )
            )
        out.append(block(f"perf.study.team.{team.id}", "p", text + "。", facts))
    return out


def mentoring_paragraphs(fig: Figures) -> list[dict]:
    """（三）: mentoring pairs and their showcase lessons."""
    w = fig.work
    if not w.showcase_lesson_count:
        return []
    when = "、".join(f"{number_chinese(m)}月份" for m in w.showcase_months)
    text = (
        f"引导青年教师在日常教学中主动总结、反思。{when}开展{w.mentoring_pairs}对师徒结对汇报展示课活动，"
        f"共展示{w.showcase_lesson_count}节课，党员教师和青年教师轮流登台，展示了扎实的基本功和教学素养。"
    )
    return [
        block(
            "perf.mentoring.lessons",
            "p",
            text,
            [
                Fact(
                    "showcase_pairs",
                    "师徒结对",
                    w.mentoring_pairs,
                    f"{w.mentoring_pairs}对",
                    w.refs("mentoring_pairs"),
                ),
                Fact(
                    "showcase_lessons",
                    "汇报展示课",
                    w.showcase_lesson_count,
                    f"{w.showcase_lesson_count}节",
                    w.refs("showcase_lesson_count"),
                ),
            ],
        )
    ]


def _problem_text(index: int, p: ProblemItem) -> str:
    return f"（{ordinal(index)}）{p.category.rstrip('。')}。{p.description}"


def _previous_text(index: int, p: ProblemItem) -> str:
    text = f"（{ordinal(index)}）{p.category.rstrip('。')}：{p.status_label}。"
    if p.measures:
        text += f"整改措施：{p.measures.rstrip('。')}。"
    if p.evidence:
        text += f"整改成效：{p.evidence.rstrip('。')}。"
    return text


def write(fig: Figures) -> dict:
    """The report content (blocks) for the gathered figures."""
    org, year = fig.org, fig.year
    blocks = [
        block("title", "title", f"{year}年度组织生活会党建工作述职评议报告"),
        block("author", "author", f"{org.name}书记 {fig.secretary}".strip()),
        block(
            "intro",
            "p",
            f"{year}年，{org.name}坚持以习近平新时代中国特色社会主义思想为指导，认真落实上级党组织的各项部署，"
            "履行基层党建工作责任，围绕中心抓党建、抓好党建促发展。现将一年来的党建工作情况报告如下：",
        ),
    ]
    number = 0

    def h1(key: str, title: str) -> None:
        nonlocal number
        number += 1
        blocks.append(block(key, "h1", f"{ordinal(number)}、{title}"))

    h1("perf.h", "履职情况")
    subsections = [
        ("perf.duty", "履行党建职责，推动中心工作", duty_paragraphs(fig)),
        ("perf.study", "落实学习制度，加强思想建设", study_paragraphs(fig)),
        ("perf.mentoring", "党员与青年教师结对帮扶，党建引领教学", mentoring_paragraphs(fig)),
    ]
    sub = 0
    for key, title, paragraphs in subsections:
        if not paragraphs:
            continue
        sub += 1
        blocks.append(block(f"{key}.h", "h2", f"（{ordinal(sub)}）{title}"))
        blocks.extend(paragraphs)

    if fig.previous_problems:
        h1("previous.h", "上年度问题整改情况")
        for i, p in enumerate(fig.previous_problems, start=1):
            blocks.append(
                block(
                    f"previous.{p.id}",
                    "p",
                    _previous_text(i, p),
                    [
                        Fact(
                            f"previous_{p.id}_status",
                            "整改状态",
                            p.status,
                            p.status_label,
                            [("work.problem", p.id)],
                        )
                    ],
                )
            )

    h1("problems.h", "存在问题")
    for i, p in enumerate(fig.problems, start=1):
        blocks.append(
            block(
                f"problem.{p.id}",
                "p",
                _problem_text(i, p),
                [Fact(f"problem_{p.id}", "问题清单", p.category, p.category, [("work.problem", p.id)])],
            )
        )
    if not fig.problems:
        blocks.append(block("problems.empty", "p", ""))

    h1("plan.h", "下步工作计划")
    goals = [p for p in fig.plans if p.section == "goal"]
    directions = [p for p in fig.plans if p.section == "direction"]
    for sub_index, (key, title, items) in enumerate(
        [("plan.goals", "工作目标", goals), ("plan.directions", "工作方向", directions)], start=1
    ):
        blocks.append(block(f"{key}.h", "h2", f"（{ordinal(sub_index)}）{title}"))
        if not items:
            blocks.append(block(f"{key}.empty", "p", ""))
        for i, p in enumerate(items, start=1):
            head = p.title.rstrip("。")
            text = f"{i}.{head}。{p.text}" if p.text else f"{i}.{head}。"
            blocks.append(
                block(
                    f"plan.{p.id}",
                    "p",
                    text,
                    [Fact(f"plan_{p.id}", title, p.title, p.title, [("work.plan", p.id)])],
                )
            )

    blocks.append(
        block(
            "closing",
            "p",
            f"新的一年，{org.name}将继续坚守初心使命，把党建工作抓在手上、落到实处，"
            "以高质量党建引领和保障各项工作高质量发展。",
        )
    )
    blocks.append(block("date", "date", year_month_chinese_numerals(date(year + 1, 3, 1))))
    return {"org": org.code, "year": year, "blocks": blocks}
