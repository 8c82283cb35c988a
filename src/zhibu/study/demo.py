"""Study demo: 学习强国 points for the district's branches (September–December 2022), the ranking switched on
for the district, and the kindergarten's notes on its weekly political study ("学习笔记、反思近20000字").

The kindergarten's first place in December comes out of the points generated here (its members study on
more days), not from a forced figure; the notes are composed from a bank of invented sentences until the
year's total lands between 19,000 and 19,999 Chinese characters.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Q

from zhibu.core.cn import han_count
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.people.models import Member
from zhibu.records.models import Activity, Attendance

from .models import POLITICAL_STUDY, RankingSetting, StudyNote, StudyPoints, StudyTarget
from .selectors import branch_rank, month_bounds, note_chars

KINDERGARTEN = "wolongshan-kg"
DISTRICT = "district-edu"
MONTHS = [(2022, 9), (2022, 10), (2022, 11), (2022, 12)]
NOTES_LOW, NOTES_HIGH, NOTES_AIM = 19_000, 19_999, 19_500

# How keenly each branch studies: (share of days a member studies, lowest and highest points of a day, chance
# that a member does not study at all in a month).
KEEN = (0.94, 34, 56, 0.0)
ORDINARY = [
    (0.62, 18, 42, 0.15),
    (0.70, 20, 45, 0.10),
    (0.55, 22, 48, 0.25),
    (0.74, 16, 40, 0.12),
    (0.66, 20, 44, 0.20),
]


# ------------------------------------------------------------------------------------------- the notes bank

OPENINGS = [
    "{date}中午的政治学习，我认真听讲并做了记录，现把几点收获整理如下。",
    "{date}集体学习结束后，我把笔记重新读了一遍，写下自己的思考。",
    "这次政治学习安排在{date}，时间虽然只有一个小时，但内容很充实。",
    "{date}参加支部组织的集体学习，边听边记，课后又查阅了相关材料。",
    "回顾{date}的学习内容，有几处让我印象特别深。",
    "{date}的学习由支部书记领学，大家轮流发言，我也谈了自己的认识。",
]

# Sentences tied to the time of year, keyed by the months they fit.
THEMES = {
    (1, 2): [
        "新年伊始，学习让我重新梳理了自己一年的工作目标，把育人放在第一位。",
        "寒假前后的学习提醒我，假期里也要关注孩子的安全和家庭教育指导。",
    ],
    (3,): [
        "全国两会传递出重视教育的明确信号，学前教育普及普惠的提法让我倍感振奋。",
        "政府工作报告中关于办好人民满意教育的论述，让我看到了幼教工作的分量。",
        "学习雷锋精神不是喊口号，而是把身边的小事做好，把每个孩子放在心上。",
    ],
    (4,): [
        "清明前后学习革命先烈事迹，深感今天的安宁来之不易，更要珍惜岗位、尽职尽责。",
    ],
    (5, 6): [
        "劳动教育要从娃娃抓起，我打算在班级里设置值日生岗位，让孩子体会劳动的快乐。",
        "学习党史中的教育故事，前辈们在艰苦条件下坚持办学，令人肃然起敬。",
        "疫情防控期间，党员教师主动值守，让我体会到先锋模范作用就在平凡坚守之中。",
    ],
    (7, 8): [
        "迎接建党一百零一周年，重温党的奋斗历程，我对初心使命有了更具体的理解。",
        "重温入党誓词时，我一字一句地默念，提醒自己时刻用党员标准要求自己。",
    ],
    (9,): [
        "新学期开学，学习让我明确了师德师风是教师的第一标准，要以德立身、以德施教。",
        "教师节前后的学习讨论中，大家谈到最美的教育是陪伴，我深有同感。",
    ],
    (10,): [
        "党的二十大胜利召开，我们集中收看开幕会，报告中的每一个部分都值得反复研读。",
        "报告提出坚持以人民为中心发展教育，这要求我们把家长和孩子的需求放在心上。",
        "学习二十大报告关于教育、科技、人才的论述，我认识到基础教育是一切的起点。",
    ],
    (11, 12): [
        "深入学习党的二十大精神，关键在于转化为推进园所发展的实际举措。",
        "报告强调加快建设高质量教育体系，对幼儿园来说就是把每一天的保教工作做细做实。",
        "学习中我们讨论了如何把二十大精神讲给孩子听，决定用绘本和故事的方式来呈现。",
        "学思践悟，重在践行，我准备在下学期承担一次党员示范课。",
    ],
}
YEAR_END = "年终回顾，我把一年的学习笔记翻了一遍，看到了自己思想上的点滴进步。"

REFLECTIONS = [
    "理论学习不能停留在抄写上，要联系自己的课堂，想一想哪些做法还可以改进。",
    "作为一名幼儿教师，我的一言一行都会影响孩子，必须时刻注意为人师表。",
    "学习中我认识到，思想上的松懈往往从不读书、不思考开始，所以每周的学习不能流于形式。",
    "对照学习内容查找差距，我在与家长沟通方面还不够主动，今后要多倾听、多交流。",
    "我把学到的内容和同组老师分享，大家一起讨论如何在一日生活中渗透品德教育。",
    "孩子的成长离不开耐心，遇到调皮的孩子，我会提醒自己先理解再引导。",
    "课程游戏化改革需要教师不断学习，我计划每月读一本专业书籍并写读书笔记。",
    "青蓝结对中，老教师的经验让我少走了很多弯路，我也要把这份传帮带传下去。",
    "学习让我更加明白，党员身份意味着责任，在急难险重的任务面前要站得出来。",
    "我反思了自己在区域活动中的指导方式，发现有时包办过多，今后要给孩子更多自主空间。",
    "安全是幼儿园工作的底线，学习后我重新检查了班级的安全隐患并做了记录。",
    "家园共育是幼教工作的重要一环，我打算通过家长会和开放日让家长更了解我们的课程。",
    "读原著、学原文、悟原理，才能把理论真正装进头脑，我要坚持做读书摘记。",
    "每次学习后写一段反思，看似是小事，长期坚持下来却能看到自己的成长轨迹。",
    "集体学习中听到同事的发言，很多观点对我有启发，学习交流本身就是一种提高。",
    "对待工作要有钉钉子精神，把每一件小事做好，就是对初心最好的坚守。",
    "我要把学习成果体现在教案里，让每一节活动课都有明确的育人目标。",
    "服务群众不是一句空话，帮助新教师熟悉班级管理、解答家长疑问都是具体的行动。",
    "我意识到自己的理论基础还比较薄弱，今后要利用碎片时间多读多记。",
    "园所发展需要每个人出一份力，我愿意在环境创设和课程建设中多承担一些任务。",
    "学习中提到的为民情怀让我想到，关心每个孩子、尊重每位家长就是我的为民实践。",
    "我把学习中的金句抄在备课本的扉页上，时时提醒自己不忘初心。",
    "反思本学期的工作，我在观察记录上下的功夫还不够，下一步要坚持每天记录一个孩子的成长片段。",
    "教师的专业成长与思想成长是分不开的，思想上的清醒才能带来行动上的坚定。",
    "在疫情反复的日子里，线上陪伴孩子的经历让我更加理解教育的温度。",
    "学习之后，我和搭班老师商量调整了班级常规，让孩子在规则中学会自我管理。",
    "作为党员，我要在教研活动中主动发言、主动承担，带动身边的老师一起进步。",
    "我认识到廉洁从教不仅是不收礼，更是对每个孩子一视同仁、公平对待。",
    "学习让我静下心来，重新思考什么是好的教育，答案是尊重儿童、顺应天性。",
    "我要把政治学习和业务学习结合起来，做到学有所思、思有所悟、悟有所行。",
    "支部的学习形式越来越丰富，有领学、有研讨、有分享，大家的参与热情明显提高。",
    "生活中的点滴也蕴含着教育契机，我会带孩子观察升旗仪式，培养他们的爱国情感。",
    "通过学习，我对乡村学前教育的发展前景更有信心，也更愿意扎根这片土地。",
    "我把本次学习内容讲给了入职不久的年轻老师听，在讲解中自己也加深了理解。",
    "面对繁琐的日常事务，要学会统筹安排，把主要精力放在孩子身上。",
    "批评与自我批评是党员的必修课，我要敢于正视自己的不足并及时改正。",
    "阅读区的图书需要更新，我准备挑选一批反映新时代建设成就的绘本。",
    "学习让我想起刚入职时的誓言，那份对教育的热爱不能在忙碌中消磨。",
]

CLOSINGS = [
    "今后我会继续认真参加每周的政治学习，把所学用到工作中去。",
    "以上是本次学习的几点体会，不足之处请同志们批评指正。",
    "我将以这次学习为新的起点，在平凡的岗位上做出不平凡的成绩。",
    "学无止境，我会把学习作为一种习惯坚持下去。",
    "下一步，我会把这些想法落实到班级的具体工作中，争取看到实效。",
]


def _themes(day: date) -> list[str]:
    sentences = next(v for months, v in THEMES.items() if day.month in months)
    return sentences + ([YEAR_END] if day.month == 12 else [])


def _compose(rng: random.Random, day: date, aim: int) -> list[str]:
    """Sentences of one note, grown until about `aim` Chinese characters."""
    sentences = [rng.choice(OPENINGS).format(date=f"{day.month}月{day.day}日")]
    pool = _themes(day) + REFLECTIONS
    picks = rng.sample(pool, len(pool))
    while picks and sum(han_count(s) for s in sentences) < aim - 20:
        sentences.append(picks.pop())
    sentences.append(rng.choice(CLOSINGS))
    return sentences


def _notes(ctx, rng: random.Random) -> int:
    kg = ctx.orgs[KINDERGARTEN]
    sessions = list(
        Activity.objects.unscoped()
        .filter(
            org=kg,
            kind__code=POLITICAL_STUDY,
            held_on__gte=date(ctx.year, 1, 1),
            held_on__lte=date(ctx.year, 12, 31),
        )
        .order_by("held_on", "id")
    )
    if not sessions:
        ctx.notes.append("学习：未找到幼儿园的政治学习记录，未生成学习笔记。")
        return 0
    roster = list(ctx.members[KINDERGARTEN].values())
    present: dict[int, list[Member]] = {}
    by_pk = {m.pk: m for m in roster}
    for activity_id, member_id in (
        Attendance.objects.unscoped()
        .filter(activity__in=sessions, presence="present")
        .values_list("activity_id", "member_id")
    ):
        if member_id in by_pk:
            present.setdefault(activity_id, []).append(by_pk[member_id])

    plan: list[tuple[Activity, Member]] = []
    for session in sessions:
        writers = present.get(session.pk) or roster
        plan += [(session, m) for m in rng.sample(writers, min(len(writers), rng.randint(3, 5)))]
    per_note = NOTES_AIM / len(plan)
    drafts = [_compose(rng, s.held_on, int(per_note * rng.uniform(0.7, 1.3))) for s, _ in plan]

    def total() -> int:
        return sum(han_count(x) for d in drafts for x in d)

    # Bring the year's total inside the range: drop a middle sentence from the longest notes, or add one.
    spare = list(REFLECTIONS)
    while total() > NOTES_HIGH - 200:
        longest = max(drafts, key=lambda d: sum(han_count(x) for x in d))
        if len(longest) <= 3:
            break
        longest.pop(len(longest) // 2)
    while total() < NOTES_LOW + 200:
        shortest = min(drafts, key=lambda d: sum(han_count(x) for x in d))
        shortest.insert(-1, rng.choice([s for s in spare if s not in shortest] or spare))
    StudyNote.objects.unscoped().bulk_create(
        [
            StudyNote(
                activity=session, member=member, text="".join(draft), han_count=han_count("".join(draft))
            )
            for (session, member), draft in zip(plan, drafts, strict=True)
        ]
    )
    return len(plan)


# ------------------------------------------------------------------------------------------------- points


def _branches(ctx) -> list[Organisation]:
    district = ctx.orgs[DISTRICT]
    low, high = district.subtree_bounds()
    return list(
        Organisation.objects.filter(
            path__gte=low, path__lte=high, type__level=OrgType.Level.BRANCH, dissolved_on__isnull=True
        ).order_by("path")
    )


def _points(ctx, rng: random.Random) -> int:
    rows: list[StudyPoints] = []
    ordinary = iter(ORDINARY * 10)
    for branch in _branches(ctx):
        share, low, high, idle = KEEN if branch.code == KINDERGARTEN else next(ordinary)
        members = list(
            Member.objects.unscoped()
            .filter(branch=branch)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=date(2022, 9, 1)))
            .order_by("id")
        )
        for member in members:
            total = rng.randint(8000, 22000)
            keen = min(0.99, share + rng.uniform(-0.08, 0.05))
            for year, month in MONTHS:
                day, end = month_bounds(year, month)
                if rng.random() < idle:
                    continue  # this member did not open the app that month
                while day <= end:
                    if rng.random() < keen:
                        points = rng.randint(low, high)
                        total += points
                        rows.append(
                            StudyPoints(
                                member=member,
                                on=day,
                                day_points=points,
                                total_points=total,
                                source_name="学习强国积分导出（演示）.xlsx",
                            )
                        )
                    day += timedelta(days=1)
    StudyPoints.objects.unscoped().bulk_create(rows, batch_size=2000)
    return len(rows)


def build(ctx) -> None:
    rng = random.Random(20221231)
    if DISTRICT not in ctx.orgs or KINDERGARTEN not in ctx.orgs:
        return
    count = _points(ctx, rng)
    RankingSetting.objects.unscoped().update_or_create(org=ctx.orgs[DISTRICT], defaults={"enabled": True})
    StudyTarget.objects.unscoped().update_or_create(
        org=ctx.orgs[KINDERGARTEN], defaults={"monthly_avg_points": 1200}
    )
    notes = _notes(ctx, rng)
    place = branch_rank(ctx.orgs[KINDERGARTEN], 2022, 12)
    chars = note_chars(scoping.SYSTEM, ctx.orgs[KINDERGARTEN], ctx.year)
    ctx.notes.append(
        f"学习：导入学习强国积分 {count} 条（2022年9—12月），区教体局党委已开启学习排名；"
        f"卧龙山街道中心幼儿园党支部12月排名 {f'第{place[0]}/{place[1]}' if place else '无'}；"
        f"政治学习笔记 {notes} 篇，共 {chars} 字。"
    )
