"""Core of the demo: organisations, accounts, rosters and 2022 organisational life.

The kindergarten's year follows the practices a kindergarten branch's 2022 annual report describes:
a 支委会 every month plus two extra, a 党员大会 every quarter (18 branch meetings), a 主题党日 every month
(12, among them a reading club, an oath, "I give a Party lesson" and a speech), a weekly political study on
Monday 13:00–14:00 in term time, a 党课 every quarter (one by the secretary), talks with every member, the
year's 组织生活会 and 民主评议, and a training on teachers' ethics. All names are invented.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhibu.core.crypto import digest
from zhibu.orgs.models import Organisation, OrgType, RoleAssignment
from zhibu.orgs.roles import Role
from zhibu.people import idnumber
from zhibu.people.models import Member, PartyPost, Status, StatusEvent
from zhibu.people.services import _derive_status, pinyin_of
from zhibu.records.models import Activity, ActivityKind, Attendance, default_year

AREA = "371102"
YEAR = 2022

# code, full name, short name, type, parent code
ORGS = [
    ("district-edu", "中共某区教育和体育局委员会", "区教体局党委", "committee", None),
    ("wolongshan-kg", "卧龙山街道中心幼儿园党支部", "卧龙山中心幼儿园", "branch", "district-edu"),
    ("qinghe-ps", "清河小学党支部", "清河小学", "branch", "district-edu"),
    ("shiyan-ms", "实验中学党支部", "实验中学", "branch", "district-edu"),
    ("dongcheng-kg", "东城幼儿园党支部", "东城幼儿园", "branch", "district-edu"),
    ("vocational-gb", "职业中专党总支", "职业中专党总支", "general-branch", "district-edu"),
    ("vocational-t1", "职业中专第一党支部", "职专一支部", "branch", "vocational-gb"),
    ("vocational-t2", "职业中专第二党支部", "职专二支部", "branch", "vocational-gb"),
    ("shiyan-ms-g1", "实验中学第一党小组", "实验中学一组", "group", "shiyan-ms"),
    ("shiyan-ms-g2", "实验中学第二党小组", "实验中学二组", "group", "shiyan-ms"),
]

# The kindergarten: name, party post, post at work, birth, female?, joined (预备党员 date)
KINDERGARTEN = [
    ("周静怡", PartyPost.SECRETARY, "园长", date(1978, 4, 12), True, date(2001, 6, 20)),
    ("钱佳宁", PartyPost.DEPUTY, "副园长", date(1982, 9, 3), True, date(2005, 5, 18)),
    ("孙晓梅", PartyPost.ORGANISER, "保教主任", date(1985, 1, 22), True, date(2008, 6, 25)),
    ("吴丽娟", PartyPost.PROPAGANDA, "教研组长", date(1988, 7, 9), True, date(2011, 7, 1)),
    ("郑雅琴", PartyPost.DISCIPLINE, "后勤主任", date(1980, 11, 30), True, date(2004, 12, 10)),
    ("冯雨萱", "", "教师", date(1992, 3, 15), True, date(2014, 6, 12)),
    ("陈思雨", "", "教师", date(1994, 8, 21), True, date(2016, 5, 20)),
    ("褚文静", "", "教师", date(1990, 2, 5), True, date(2013, 11, 8)),
    ("卫晓燕", "", "保健医生", date(1987, 10, 17), True, date(2010, 6, 30)),
    ("蒋欣然", "", "教师", date(1995, 12, 2), True, date(2018, 6, 28)),
    ("沈梦瑶", "", "教师", date(1993, 5, 26), True, date(2017, 4, 14)),
    ("韩冰洁", "", "教师", date(1991, 9, 9), True, date(2015, 7, 1)),
]
# Two people on their way in (their cases are written by the development demo).
APPLICANTS = [
    ("朱晓彤", "教师", date(1996, 6, 18), date(2020, 9, 10)),
    ("秦雪", "教研干事", date(1993, 2, 27), date(2021, 10, 8)),
]

THEME_DAYS = {
    1: "迎新春·重温入党初心",
    2: "学习全国两会精神",
    3: "学雷锋志愿服务",
    4: "清明缅怀先烈党员读书会",
    5: "劳动创造幸福主题实践",
    6: "“红心向党 倾情幼教”党员教师演讲",
    7: "庆七一党员教师重温入党誓词",
    8: "师德师风自查自纠",
    9: "喜迎国庆 我来讲党课",
    10: "学习党的二十大报告读书会",
    11: "党的二十大精神进课堂",
    12: "年终党员志愿服务",
}
LECTURES = {
    3: "砥砺奋进新征程",
    6: "坚定理想信念 做好幼教工作",
    9: "我来讲党课：在平凡岗位上发光",
    11: "砥砺奋进新征程 同心谱写新华章",
}


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_current_timezone())


def _member(branch, name, seq, birth, *, post="", party_post="", female=True, history=()) -> Member:
    gender_digit = (seq * 2 + (0 if female else 1)) % 1000
    number = idnumber.make(AREA, birth, gender_digit)
    parsed = idnumber.parse(number)
    full, initials = pinyin_of(name)
    member = Member(
        branch=branch,
        name=name,
        name_pinyin=full,
        name_initials=initials,
        id_number=number,
        id_digest=digest(number),
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        post=post,
        party_post=party_post,
        phone=f"139{seq:08d}"[:11],
        education="20",
        status=history[-1][0],
    )
    member.save()
    StatusEvent.objects.unscoped().bulk_create(
        [StatusEvent(member=member, status=s, on=d, source="demo") for s, d in history]
    )
    _derive_status(member)
    return member


def _full_history(joined: date) -> list[tuple[str, date]]:
    return [
        (Status.APPLICANT, joined - timedelta(days=900)),
        (Status.ACTIVIST, joined - timedelta(days=700)),
        (Status.CANDIDATE, joined - timedelta(days=200)),
        (Status.PROBATIONARY, joined),
        (Status.FULL, joined.replace(year=joined.year + 1)),
    ]


class _Recorder:
    """Writes a year of activities for one branch in bulk, with attendance and plausible record dates."""

    def __init__(self, org, members, recorder_user):
        self.org, self.members, self.user = org, members, recorder_user
        self.kinds = {k.code: k for k in ActivityKind.objects.shipped()}
        self.pending: list[tuple[Activity, list[Member], list[Member]]] = []
        self.committee = [m for m in members if m.party_post]
        # People who join the branch's whole-branch activities from a date on (a new 预备党员).
        self.extra: list[Member] = []
        self.extra_from = date.max

    def add(
        self,
        kind,
        day,
        topic,
        *,
        start=(14, 30),
        hours=1,
        absent=(),
        who=None,
        speaker=None,
        late_days=1,
        location="党员活动室",
        content="",
        for_year=None,
    ):
        attendees = list(who if who is not None else self.members)
        if who is None and day >= self.extra_from:
            attendees += self.extra
        present = [m for m in attendees if m.name not in absent]
        missing = [m for m in attendees if m.name in absent]
        starts = _aware(day, *start)
        committee_present = sum(1 for m in present if m.party_post)
        if for_year is None and self.kinds[kind].annual:
            for_year = default_year(day)
        activity = Activity(
            org=self.org,
            kind=self.kinds[kind],
            topic=topic,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            held_on=day,
            location=location,
            host=self.members[0],
            speaker=speaker,
            recorder=self.members[2] if len(self.members) > 2 else None,
            content=content or f"{topic}。与会党员围绕主题交流发言，形成会议记录。",
            expected_count=len(attendees),
            present_count=len(present),
            committee_size=len(self.committee) if kind == "committee-meeting" else 0,
            committee_present=committee_present if kind == "committee-meeting" else 0,
            recorded_at=_aware(day + timedelta(days=late_days), 17),
            recorded_by=self.user,
            for_year=for_year,
        )
        self.pending.append((activity, present, missing))

    def flush(self):
        Activity.objects.unscoped().bulk_create([a for a, _, _ in self.pending])
        rows = []
        for activity, present, missing in self.pending:
            rows += [Attendance(activity=activity, member=m, presence="present") for m in present]
            rows += [
                Attendance(activity=activity, member=m, presence="leave", reason="外出培训") for m in missing
            ]
        Attendance.objects.unscoped().bulk_create(rows, batch_size=2000)
        self.pending = []


def _kindergarten_year(rec: _Recorder) -> None:
    members = rec.members
    committee = rec.committee
    secretary = members[0]
    extra_committee = {2: 22, 8: 24}
    for month in range(1, 13):
        first = date(YEAR, month, 1)
        # 支委会 early in the month, plus two extra meetings on pressing matters.
        rec.add(
            "committee-meeting",
            first + timedelta(days=4),
            f"{month}月支委会：研究本月党建与保教工作",
            who=committee,
            start=(16, 30),
        )
        if month in extra_committee:
            rec.add(
                "committee-meeting",
                date(YEAR, month, extra_committee[month]),
                "支委会专题会：研究园所发展中的问题" if month == 2 else "支委会专题会：研究秋季开学疫情防控",
                who=committee,
                start=(16, 30),
            )
        # 主题党日 on the 15th (or the next weekday).
        theme_day = date(YEAR, month, 15)
        while theme_day.weekday() >= 5:
            theme_day += timedelta(days=1)
        rec.add("theme-day", theme_day, THEME_DAYS[month], absent=("陈思雨",) if month == 3 else ())
        if month in (3, 6, 9, 12):
            rec.add(
                "general-meeting",
                date(YEAR, month, 25 if month != 12 else 20),
                f"第{month // 3}季度支部党员大会",
                start=(15, 0),
            )
        if month in LECTURES:
            speaker = secretary if month == 11 else members[[3, 1, 2, 0][[3, 6, 9, 11].index(month)]]
            rec.add(
                "party-lecture",
                date(YEAR, month, 18 if month != 11 else 21),
                LECTURES[month],
                speaker=speaker,
                start=(15, 30),
            )
    # Weekly political study, Monday 13:00–14:00, in term time (no winter or summer holidays).
    day = date(YEAR, 1, 3)
    while day.year == YEAR:
        holiday = date(YEAR, 1, 24) <= day <= date(YEAR, 2, 13) or date(YEAR, 7, 11) <= day <= date(
            YEAR, 8, 28
        )
        if not holiday and day not in (date(YEAR, 10, 3), date(YEAR, 5, 2)):
            rec.add(
                "political-study",
                day,
                f"政治学习（{day.month}月{day.day}日）",
                start=(13, 0),
                location="教师书屋",
                late_days=0,
            )
        day += timedelta(days=7)
    rec.add(
        "training",
        date(YEAR, 9, 7),
        "“有光，自思想而来”师德师风专题培训",
        start=(9, 0),
        hours=3,
        location="多功能厅",
    )
    for index, member in enumerate(members[1:], start=1):
        rec.add(
            "heart-talk",
            date(YEAR, 11, 1 + index),
            f"书记与{member.name}谈心谈话",
            who=[secretary, member],
            start=(16, 0),
            location="书记办公室",
        )
    for index, member in enumerate(rec.extra, start=len(members)):
        rec.add(
            "heart-talk",
            date(YEAR, 11, 1 + index),
            f"书记与{member.name}谈心谈话",
            who=[secretary, member],
            start=(16, 0),
            location="书记办公室",
        )
    # The year's 组织生活会 was held in the first quarter of the next year, as the seed report (dated 2023年3月)
    # says: it is recorded for 2022 and meets 2022's requirement by its 31 March deadline.
    rec.add(
        "life-meeting", date(YEAR + 1, 2, 15), "2022年度组织生活会", start=(14, 0), hours=3, for_year=YEAR
    )
    rec.add("democratic-appraisal", date(YEAR, 12, 28), "2022年度民主评议党员", start=(14, 0), hours=2)
    rec.flush()


def _school_year(rec: _Recorder, *, skip_committee=(), late=()) -> None:
    """A plainer year for the other branches; gaps and late records give the board its colours."""
    committee = rec.committee or rec.members[:3]
    for month in range(1, 13):
        if month not in skip_committee:
            rec.add(
                "committee-meeting",
                date(YEAR, month, 6),
                f"{month}月支委会",
                who=committee,
                late_days=40 if month in late else 1,
            )
        rec.add(
            "theme-day",
            date(YEAR, month, 16),
            f"{month}月主题党日",
            absent=tuple(m.name for m in rec.members[: len(rec.members) // 3]) if month in late else (),
        )
        if month in (3, 6, 9, 12):
            rec.add("general-meeting", date(YEAR, month, 26), f"第{month // 3}季度党员大会")
            rec.add("party-lecture", date(YEAR, month, 20), f"第{month // 3}季度党课", speaker=rec.members[0])
    head = rec.members[0]
    for index, member in enumerate(rec.members[1:], start=1):
        rec.add(
            "heart-talk",
            date(YEAR, 11, 1 + index),
            f"书记与{member.name}谈心谈话",
            who=[head, member],
            location="党员活动室",
        )
    rec.add("life-meeting", date(YEAR, 12, 22), "2022年度组织生活会")
    rec.add("democratic-appraisal", date(YEAR, 12, 23), "2022年度民主评议党员")
    rec.flush()


SCHOOL_NAMES = "刘建国 杨海燕 黄志强 高丽萍 马晓东 林雪梅 何文博 罗玉兰 梁振华 宋佳琪 谢明辉 唐晓丽 许国栋 邓春燕 冯志远 曹雅丽 彭立新 曾慧敏".split()


def build_core(ctx) -> None:
    types = {t.code: t for t in OrgType.objects.all()}
    for code, name, short, type_code, parent_code in ORGS:
        node = Organisation(
            code=code,
            name=name,
            short_name=short,
            type=types[type_code],
            founded_on=date(2010, 9, 1),
            secretary_name="",
            contact_phone="0633-8123456",
        )
        parent = ctx.orgs.get(parent_code)
        ctx.orgs[code] = (
            Organisation.objects.add_child(parent, instance=node)
            if parent
            else Organisation.objects.add_root(instance=node)
        )

    users = get_user_model()._default_manager
    from zhibu.demo import DEMO_PASSWORD

    def account(username, display, phone=None):
        # The demo password is published: on a production server it only opens the forced password change.
        from django.conf import settings

        user = users.create(
            username=username, display_name=display, phone=phone, must_change_password=settings.PRODUCTION
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    ctx.users["secretary"] = account("secretary", "周静怡", "13900000001")
    ctx.users["district"] = account("district", "区教体局党建办")
    ctx.users["member"] = account("member", "沈梦瑶")
    ctx.users["auditor"] = account("auditor", "区教体局审计员")
    kg = ctx.orgs["wolongshan-kg"]
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=ctx.users["secretary"], org=kg, role=Role.SECRETARY),
            RoleAssignment(user=ctx.users["district"], org=ctx.orgs["district-edu"], role=Role.SUPERIOR),
            RoleAssignment(user=ctx.users["member"], org=kg, role=Role.MEMBER),
            RoleAssignment(user=ctx.users["auditor"], org=ctx.orgs["district-edu"], role=Role.AUDITOR),
        ]
    )

    seq = 1
    roster = {}
    for name, post, job, birth, female, joined in KINDERGARTEN:
        roster[name] = _member(
            kg, name, seq, birth, post=job, party_post=post, female=female, history=_full_history(joined)
        )
        seq += 1
    for name, job, birth, applied in APPLICANTS:
        roster[name] = _member(kg, name, seq, birth, post=job, history=[(Status.APPLICANT, applied)])
        seq += 1
    Member.objects.unscoped().filter(pk=roster["周静怡"].pk).update(user=ctx.users["secretary"])
    Member.objects.unscoped().filter(pk=roster["沈梦瑶"].pk).update(user=ctx.users["member"])
    Organisation.objects.filter(pk=kg.pk).update(secretary_name="周静怡", contact_name="孙晓梅")
    ctx.members["wolongshan-kg"] = roster

    party = [m for m in roster.values() if m.is_party_member]
    recorder = _Recorder(kg, party, ctx.users["secretary"])
    # 朱晓彤 becomes a 预备党员 on 2022-06-28 (the development demo writes her case) and attends from July.
    recorder.extra, recorder.extra_from = [roster["朱晓彤"]], date(YEAR, 7, 1)
    _kindergarten_year(recorder)

    plans = {
        "qinghe-ps": {"skip_committee": (10, 11)},
        "shiyan-ms": {"late": (5,)},
        "dongcheng-kg": {},
        "vocational-t1": {"skip_committee": (12,)},
        "vocational-t2": {},
    }
    name_index = 0
    for code, plan in plans.items():
        org = ctx.orgs[code]
        branch_roster = {}
        posts = [PartyPost.SECRETARY, PartyPost.ORGANISER, PartyPost.PROPAGANDA]
        for i in range(9):
            name = SCHOOL_NAMES[name_index % len(SCHOOL_NAMES)] + (
                "" if name_index < len(SCHOOL_NAMES) else "二"
            )
            name_index += 1
            birth = date(1975 + (seq % 20), 1 + seq % 12, 1 + seq % 27)
            branch_roster[name] = _member(
                org,
                name,
                seq,
                birth,
                post="教师",
                party_post=posts[i] if i < 3 else "",
                female=seq % 2 == 0,
                history=_full_history(date(2000 + seq % 20, 6, 1)),
            )
            seq += 1
        Organisation.objects.filter(pk=org.pk).update(secretary_name=next(iter(branch_roster)))
        ctx.members[code] = branch_roster
        groups = [o for c, o in ctx.orgs.items() if c.startswith(f"{code}-g")]
        if groups:
            people = list(branch_roster.values())
            for index, group in enumerate(groups):
                share = people[index :: len(groups)]
                Member.objects.unscoped().filter(pk__in=[m.pk for m in share]).update(party_group=group)
                group_rec = _Recorder(group, share, ctx.users["district"])
                for month in range(1, 13):
                    group_rec.add(
                        "group-meeting", date(YEAR, month, 12), f"{group.short_name}{month}月党小组会"
                    )
                group_rec.flush()
        _school_year(_Recorder(org, list(branch_roster.values()), ctx.users["district"]), **plan)
    Organisation.objects.filter(pk=ctx.orgs["district-edu"].pk).update(secretary_name="区教体局党委书记")
    for code in ctx.orgs:
        ctx.orgs[code] = Organisation.objects.select_related("type").get(code=code)
    ctx.notes.append(
        f"卧龙山街道中心幼儿园党支部：{len(party)} 名党员，2022 年组织生活记录 "
        f"{Activity.objects.unscoped().filter(org=kg, held_on__year=YEAR).count()} 条。"
    )
