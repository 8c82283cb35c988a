"""Demo work records of 卧龙山街道中心幼儿园党支部 in 2022: the records behind the seed report's figures (12 times
helping people, 377 学习强国 submissions and 438 elsewhere, 6 mentoring pairs with lessons in November, the
propaganda group's district award, two selections, 16,000-odd characters of training reflections, three
activity spaces), its five problems of 2022 and its plan for 2023. All names and titles are invented."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhibu.core.cn import han_count
from zhibu.records.models import Activity

from .models import (
    MentoringPair,
    ModelPost,
    Plan,
    Platform,
    Problem,
    PropagandaTeam,
    Publicity,
    Reflection,
    Selection,
    SelectionWinner,
    Service,
    ShowcaseLesson,
    Space,
    TeamAward,
    TeamTalk,
)

YEAR = 2022
NATIONAL_STUDY_ITEMS = 377
OTHER_ITEMS = 438
REFLECTION_TARGET = 1370  # characters per reflection; twelve make 16,4xx–16,9xx

SERVICES = [
    (
        "小班新生家长",
        "孩子入园分离焦虑严重，家长担心",
        "党员教师制定入园适应计划，每日与家长视频沟通",
        "两周后幼儿情绪稳定",
    ),
    ("青年教师（新入职）", "不熟悉一日保教流程", "党员骨干跟班指导一周，梳理流程清单", "能独立组织半日活动"),
    ("中班幼儿家庭", "家长住院，接送困难", "党员轮流护送幼儿回家并照看至家人到达", "坚持三周，家长致信感谢"),
    ("大班幼儿", "视力筛查发现问题未及时就医", "保健医生联系家长并协助预约眼科", "已配镜矫正"),
    ("全园教师", "疫情期间居家办公网络资料不足", "党支部整理线上教研资源包", "教师线上教研按时开展"),
    ("困难家庭幼儿", "冬季衣物不足", "党员捐赠冬衣并送到家中", "三名幼儿添置冬衣"),
    ("后勤职工", "厨房设备老化、操作不安全", "党员后勤主任协调更换燃气灶具", "隐患消除"),
    ("中班教师", "班级幼儿多、保育人手紧", "党员教干午间轮流下班协助", "午睡管理有序"),
    ("留守儿童", "父母外出务工、缺少陪伴", "党员教师结对每周谈心一次", "幼儿更愿意表达"),
    ("社区居民", "不了解幼儿园招生政策", "党员走进社区宣讲招生与资助政策", "咨询解答四十余人次"),
    ("青年教师", "参加区优质课评选缺乏经验", "党员教研组长三次磨课指导", "获区级二等奖"),
    ("小班幼儿", "过敏体质，午餐需要特殊照顾", "党员保健医生制定个别化食谱", "全年未发生过敏事件"),
]

PUBLICITY_TOPICS = [
    "党建引领保教质量",
    "主题党日活动",
    "师德师风建设",
    "党员先锋岗风采",
    "疫情防控坚守",
    "青蓝工程结对",
    "喜迎二十大",
    "学习二十大精神",
    "家园共育",
    "红色故事进课堂",
    "志愿服务",
    "教研活动",
    "户外游戏",
    "传统节日",
    "安全教育",
]
OTHER_PLATFORMS = ["视频号", "公众号", "其他"]
LOCAL_MEDIA_TITLE = "红心向党 倾情幼教——卧龙山街道中心幼儿园党支部学习宣传党的二十大精神"

MENTORS = ["周静怡", "钱佳宁", "孙晓梅", "吴丽娟", "郑雅琴", "褚文静"]
APPRENTICES = ["林小满", "高若溪", "方语桐", "许知夏", "邓可欣", "曹一诺"]
LESSON_TITLES = [
    "小班音乐活动《小雨沙沙》",
    "中班科学活动《有趣的影子》",
    "大班语言活动《彩虹色的花》",
    "小班美术活动《点点豆豆》",
    "中班数学活动《按规律排序》",
    "大班健康活动《我会保护牙齿》",
]

MODEL_POSTS = [("孙晓梅", "保教质量示范岗"), ("卫晓燕", "卫生保健示范岗"), ("韩冰洁", "家园共育示范岗")]

TEAM_NAME = "巾帼党建宣讲小组"
TEAM_MEMBERS = ["吴丽娟", "冯雨萱", "陈思雨"]
AWARD_COMPETITION = "“中国梦·新时代·新征程”宣讲比赛"

SPACES = [
    ("党员活动室", "教学楼三楼", "以三楼为中心布置的党员活动阵地，用于主题党日和党课"),
    ("教师书屋", "教学楼三楼东侧", "教师读书、政治学习的场所，藏书两千余册"),
    ("卧龙诗社", "教学楼三楼西侧", "教师读诗写诗、开展诵读活动的小阵地"),
]

PROBLEMS = [
    (
        "党建工作整体谋划不足",
        "支部组织生活形式单一，活动之间缺少统筹，党建品牌的带动作用没有显现。",
        "制定年度党建工作清单，围绕品牌建设统筹安排每月活动。",
        "周静怡",
    ),
    (
        "党建工作落实不够有力",
        "对基层组织建设的具体事项抓得不细，部分党员先锋作用不明显，责任传导有缺口。",
        "细化支委分工和党员责任区，每季度对照清单检查。",
        "钱佳宁",
    ),
    (
        "理论学习转化不够",
        "个别党员学习新理论主动性不强，思考新问题不深，面对新任务存在本领不足。",
        "坚持每周政治学习，增加研讨交流，学习情况纳入民主评议。",
        "吴丽娟",
    ),
    (
        "工作方法创新不足",
        "对党建工作调研思考不够，把党建和保教工作结合起来的办法不多，亮点少。",
        "每学期开展一次党建与保教融合的专题调研，形成一两项特色做法。",
        "孙晓梅",
    ),
    (
        "关心党员不够",
        "政治生日、集体活动、红色教育等关怀措施开展得少，偏重学习和开会，实践与关怀不足。",
        "建立党员政治生日制度，每年组织一至两次参观学习活动。",
        "郑雅琴",
    ),
]

PLAN_GOALS = [
    ("政治铸魂", "把党的政治建设放在首位，发挥支部的政治引领作用。"),
    ("夯实基础", "加强支部班子和党员队伍建设，提升组织力。"),
    ("健全制度", "完善书记园长一肩挑下的议事规则和责任落实机制。"),
    ("打造品牌", "推进“红心向党 倾情幼教”党建品牌建设。"),
]
PLAN_DIRECTIONS = [
    ("强化思想引领", "把学习宣传党的二十大精神作为主线，结合业务学习提升教师综合素养。", "吴丽娟"),
    ("壮大党员队伍", "做好后备干部培养和发展党员工作，把业务骨干培养成党员、把党员培养成骨干。", "孙晓梅"),
    ("激发组织活力", "党员带头学习、带头实干、带头奉献，每名党员重点带一至两名青年教师。", "钱佳宁"),
    ("加强关心关爱", "常态化开展谈心谈话，结合节日组织团建和参观学习，增强归属感。", "郑雅琴"),
    ("深化一园一品", "围绕“简单快乐、回归本真”的园所文化，形成有特色、可复制的党建做法。", "周静怡"),
]

# Sentences for the training reflections, in the project's own words.
SENTENCE_BANK = [
    "这次师德师风专题培训让我重新思考了教师这份职业的意义。",
    "思想上的光亮，最终要落到每天对孩子的一言一行之中。",
    "作为一名幼儿教师，我要把耐心和爱心放在第一位。",
    "孩子们的成长离不开老师日复一日的陪伴和引导。",
    "培训中讲到的案例让我深受触动，也让我反思自己工作中的不足。",
    "有时候因为忙碌，我对孩子的情绪关注得不够及时。",
    "今后我要蹲下身子倾听孩子，尊重每一个孩子的想法。",
    "师德不是挂在墙上的口号，而是体现在细节里的责任。",
    "我们要以身作则，用自己的言行为孩子树立榜样。",
    "家长把孩子交给我们，是对幼儿园最大的信任。",
    "我要主动与家长沟通，做到家园同心、共同育人。",
    "作为党员教师，更应该在师德建设中走在前面。",
    "学习党的二十大精神，让我对办好人民满意的教育有了更深的理解。",
    "教育是国之大计，学前教育是终身学习的开端。",
    "我要不断学习专业知识，提高观察和支持幼儿发展的能力。",
    "每一次教研活动都是自我提升的好机会。",
    "在区域活动中，我尝试放手让孩子自主探索，收获了很多惊喜。",
    "遇到调皮的孩子，不能简单批评，而要找到背后的原因。",
    "培训让我明白，廉洁从教是每位教师必须坚守的底线。",
    "我要自觉抵制有偿补课和收受礼品等不良风气。",
    "青年教师要向身边的优秀党员学习，学习她们的敬业和奉献。",
    "幼儿园里的每一件小事，都关系到孩子的安全和健康。",
    "我会把安全责任放在心上，把保育工作做细做实。",
    "读书让人思想丰富，我计划每月至少读完一本教育类书籍。",
    "在教师书屋里读书交流，让我感受到了团队的温暖。",
    "反思是教师成长的阶梯，我要坚持写好教育随笔。",
    "面对新的教育理念，我们要敢于尝试，也要善于总结。",
    "用真心换真心，孩子们会用笑脸回报老师的付出。",
    "我将把这次培训的收获落实到日常保教工作中去。",
    "努力做一名有理想信念、有道德情操、有扎实学识、有仁爱之心的好老师。",
    "疫情防控期间，党员教师冲在前面，让我看到了责任和担当。",
    "我要珍惜岗位，热爱孩子，在平凡的工作中发光发热。",
    "团结协作是做好班级工作的关键，三位老师要拧成一股绳。",
    "课程游戏化的推进，需要我们不断更新观念、改进方法。",
    "我会认真对照师德规范，查找自身差距，及时改进。",
    "孩子们天真的笑容，是我坚持这份事业最大的动力。",
]


def _training(kg) -> Activity:
    training = (
        Activity.objects.unscoped()
        .filter(org=kg, kind__code="training", held_on__year=YEAR)
        .order_by("held_on", "id")
        .first()
    )
    if training is None:
        raise RuntimeError("核心演示数据中缺少 2022 年的专题培训记录。")
    return training


def _reflection_text(rng: random.Random) -> str:
    sentences: list[str] = []
    while han_count("".join(sentences)) < REFLECTION_TARGET:
        sentences.append(rng.choice(SENTENCE_BANK))
        if len(sentences) % 6 == 0:
            sentences.append("\n")
    return "".join(sentences).strip()


def _publicity(kg, platforms: dict[str, Platform], rng: random.Random) -> list[Publicity]:
    start = date(YEAR, 1, 1)
    items = []
    for i in range(NATIONAL_STUDY_ITEMS):
        day = start + timedelta(days=(i * 365) // NATIONAL_STUDY_ITEMS)
        topic = PUBLICITY_TOPICS[i % len(PUBLICITY_TOPICS)]
        items.append(
            Publicity(
                org=kg,
                platform=platforms["学习强国"],
                date=day,
                status=Publicity.Status.PUBLISHED,
                title=f"{topic}：卧龙山街道中心幼儿园{day.month}月供稿（{i + 1}）",
                author_names="园宣传组",
            )
        )
    local = [("日照教育发布", date(YEAR, 10, 28)), ("日照数字报", date(YEAR, 11, 2))]
    for name, day in local:
        items.append(
            Publicity(
                org=kg,
                platform=platforms[name],
                date=day,
                status=Publicity.Status.PUBLISHED,
                title=LOCAL_MEDIA_TITLE,
                author_names="吴丽娟",
            )
        )
    for i in range(OTHER_ITEMS - len(local)):
        day = start + timedelta(days=(i * 365) // (OTHER_ITEMS - len(local)))
        platform = OTHER_PLATFORMS[rng.randrange(len(OTHER_PLATFORMS)) if i % 5 else 0]
        topic = PUBLICITY_TOPICS[(i * 7) % len(PUBLICITY_TOPICS)]
        items.append(
            Publicity(
                org=kg,
                platform=platforms[platform],
                date=day,
                status=Publicity.Status.PUBLISHED,
                title=f"【{platform}】{topic}·{day.month}月{day.day}日",
                author_names="园宣传组",
            )
        )
    return Publicity.objects.unscoped().bulk_create(items, batch_size=500)


def build(ctx) -> None:
    kg = ctx.orgs["wolongshan-kg"]
    people = ctx.members["wolongshan-kg"]
    rng = random.Random(YEAR)
    platforms = {p.name: p for p in Platform.objects.shipped()}

    for i, (who, difficulty, action, result) in enumerate(SERVICES):
        service = Service.objects.unscoped().create(
            org=kg,
            beneficiary=who,
            difficulty=difficulty,
            action=action,
            result=result,
            date=date(YEAR, 1 + i, 10 + i % 15),
        )
        service.helpers.set([people[MENTORS[i % len(MENTORS)]]])

    _publicity(kg, platforms, rng)

    for i, (mentor, apprentice) in enumerate(zip(MENTORS, APPRENTICES, strict=True)):
        pair = MentoringPair.objects.unscoped().create(
            org=kg,
            mentor=people[mentor],
            apprentice=apprentice,
            starts_on=date(YEAR, 2, 14),
            ends_on=date(YEAR + 1, 1, 31),
        )
        ShowcaseLesson.objects.unscoped().create(
            pair=pair,
            date=date(YEAR, 11, 7 + i * 3),
            title=LESSON_TITLES[i],
            note=f"{apprentice}执教，{mentor}点评",
        )

    for name, post in MODEL_POSTS:
        ModelPost.objects.unscoped().create(
            org=kg, member=people[name], name=post, starts_on=date(YEAR, 3, 1)
        )

    team = PropagandaTeam.objects.unscoped().create(
        org=kg, name=TEAM_NAME, leader=people[TEAM_MEMBERS[0]], founded_on=date(YEAR, 3, 8)
    )
    team.members.set([people[n] for n in TEAM_MEMBERS])
    lead_talk = TeamTalk.objects.unscoped().create(
        team=team, title="砥砺奋进新征程 同心谱写新华章", date=date(YEAR, 11, 21), audience="全体教职工"
    )
    lead_talk.speakers.set([people["周静怡"]])
    group_talk = TeamTalk.objects.unscoped().create(
        team=team, title="让青春在平凡中闪光", date=date(YEAR, 12, 2), audience="区比赛评委与观众"
    )
    group_talk.speakers.set([people[n] for n in TEAM_MEMBERS])
    TeamAward.objects.unscoped().create(
        team=team,
        competition=AWARD_COMPETITION,
        level=TeamAward.Level.DISTRICT,
        prize="优秀奖",
        date=date(YEAR, 12, 9),
    )

    classes = Selection.objects.unscoped().create(
        org=kg,
        name="“温馨班级建设”选树",
        date=date(YEAR, 6, 20),
        description="从环境创设、常规培养、家园沟通三方面评选温馨班级",
    )
    SelectionWinner.objects.unscoped().bulk_create(
        [SelectionWinner(selection=classes, name=c, title="温馨班级") for c in ("小一班", "中二班", "大三班")]
    )
    stories = Selection.objects.unscoped().create(
        org=kg,
        name="“最美卧幼人”故事评选",
        date=date(YEAR, 9, 9),
        description="讲述身边教职工的平凡故事，用身边榜样影响身边人",
    )
    SelectionWinner.objects.unscoped().bulk_create(
        [
            SelectionWinner(selection=stories, member=people[n], title="最美卧幼人")
            for n in ("卫晓燕", "韩冰洁")
        ]
        + [SelectionWinner(selection=stories, name="王阿姨（保育员）", title="最美卧幼人")]
    )

    training = _training(kg)
    party = [m for m in people.values() if m.is_party_member]
    reflections = []
    for i in range(12):
        member = party[i % len(party)]
        text = _reflection_text(rng)
        reflections.append(
            Reflection(
                org=kg,
                author=member,
                training=training,
                text=text,
                han_count=han_count(text),
                title=f"{member.name}：有光，自思想而来——师德师风培训心得",
            )
        )
    Reflection.objects.unscoped().bulk_create(reflections)
    chars = sum(r.han_count for r in reflections)
    assert 16000 <= chars <= 16999, chars

    for name, place, description in SPACES:
        Space.objects.unscoped().create(
            org=kg, name=name, place=place, description=description, opened_on=date(YEAR, 3, 1)
        )

    for order, (category, description, measures, owner) in enumerate(PROBLEMS, start=1):
        Problem.objects.unscoped().create(
            org=kg,
            year=YEAR,
            order=order,
            category=category,
            description=description,
            source=Problem.Source.ORG_LIFE,
            measures=measures,
            owner=owner,
            deadline=date(YEAR + 1, 12, 31),
            status=Problem.Status.IN_PROGRESS if order <= 2 else Problem.Status.OPEN,
        )
    for order, (title, text) in enumerate(PLAN_GOALS, start=1):
        Plan.objects.unscoped().create(
            org=kg,
            year=YEAR + 1,
            section=Plan.Section.GOAL,
            order=order,
            title=title,
            text=text,
            owner="党支部",
        )
    for order, (title, text, owner) in enumerate(PLAN_DIRECTIONS, start=1):
        Plan.objects.unscoped().create(
            org=kg,
            year=YEAR + 1,
            section=Plan.Section.DIRECTION,
            order=order,
            title=title,
            text=text,
            owner=owner,
        )

    ctx.notes.append(
        f"工作纪实（卧龙山街道中心幼儿园党支部 {YEAR}）：为群众办实事 {len(SERVICES)} 次；学习强国供稿 "
        f"{NATIONAL_STUDY_ITEMS} 篇，其他平台与视频号 {OTHER_ITEMS} 篇；青蓝工程 {len(MENTORS)} 对（11 月展示课）；"
        f"示范岗 {len(MODEL_POSTS)} 个；学习心得 {len(reflections)} 篇 {chars} 字；问题 {len(PROBLEMS)} 条，"
        f"{YEAR + 1} 年计划目标 {len(PLAN_GOALS)} 条、方向 {len(PLAN_DIRECTIONS)} 条。"
    )
