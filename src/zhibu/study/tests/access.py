from datetime import date

from zhibu.testing.matrix import Case

ALL_ROLES = {"district", "sec_a", "member_a", "sec_b", "auditor"}


def _switch_on(tree) -> None:
    from zhibu.study.models import RankingSetting

    RankingSetting.objects.unscoped().update_or_create(org=tree.district, defaults={"enabled": True})


def _district_on(tree) -> list:
    _switch_on(tree)
    return [tree.district.code]


def _a_on(tree) -> list:
    _switch_on(tree)
    return [tree.a.code]


def _session(tree) -> list:
    from zhibu.testing.factories import make_activity

    return [make_activity(tree.a, "political-study", date(2022, 3, 7), present=[tree.members.member_a]).pk]


A = lambda t: [t.a.code]  # noqa: E731
DISTRICT = lambda t: [t.district.code]  # noqa: E731

ACCESS = [
    Case("study:index", allowed=ALL_ROLES),
    Case("study:overview", allowed={"district", "sec_a", "member_a", "auditor"}, args=A),
    Case("study:overview", allowed={"district", "auditor"}, args=DISTRICT, label="committee"),
    Case("study:import", allowed={"sec_a"}, args=A),
    Case("study:import", allowed={"sec_a"}, args=A, method="post", ok_status=(400,), label="post-empty"),
    Case("study:daily", allowed={"district", "sec_a", "member_a", "auditor"}, args=A),
    Case("study:daily_svg", allowed={"district", "sec_a", "member_a", "auditor"}, args=A),
    Case("study:ranking", allowed=set(), args=DISTRICT, label="switched-off"),
    Case("study:ranking", allowed={"district", "auditor"}, args=_district_on, label="on"),
    Case("study:ranking", allowed={"district", "sec_a", "auditor"}, args=_a_on, label="branch-on"),
    Case("study:ranking_switch", allowed={"district"}, args=DISTRICT),
    Case(
        "study:ranking_switch",
        allowed={"district"},
        args=DISTRICT,
        method="post",
        data={"enabled": "on"},
        label="post",
    ),
    Case("study:target", allowed={"sec_a"}, args=A),
    Case(
        "study:target",
        allowed={"sec_a"},
        args=A,
        method="post",
        data={"monthly_avg_points": "600"},
        label="post",
    ),
    Case("study:notes", allowed={"district", "sec_a", "member_a", "auditor"}, args=_session),
    Case(
        "study:notes",
        allowed={"district", "sec_a", "member_a", "auditor"},
        args=_session,
        method="post",
        data=lambda t: {"member": t.members.member_a.pk, "text": "学习党章，对照检查自身不足。"},
        ok_status=(400,),
        label="post",
    ),
    Case("study:notes_summary", allowed={"district", "sec_a", "auditor"}, args=A, query="year=2022"),
    Case(
        "study:notes_summary",
        allowed={"district", "auditor"},
        args=DISTRICT,
        query="year=2022",
        label="committee",
    ),
    Case("api:study_import", allowed={"sec_a"}, args=A, method="post", ok_status=(422,)),
    Case("api:study_daily", allowed={"district", "sec_a", "member_a", "auditor"}, args=A),
    Case("api:study_ranking", allowed=set(), args=DISTRICT, label="switched-off"),
    Case("api:study_ranking", allowed={"district", "auditor"}, args=_district_on, label="on"),
    Case("api:study_notes_summary", allowed={"district", "sec_a", "auditor"}, args=A, query="year=2022"),
]
