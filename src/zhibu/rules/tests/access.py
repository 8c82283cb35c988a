from datetime import date

from zhibu.testing.matrix import PERSONAS, Case, anyone_logged_in

VIEWERS_A = {"district", "sec_a", "auditor"}
SEES_DISTRICT_RULES = {"district", "sec_a", "sec_b", "auditor"}


def _requirement(owner, code: str):
    from zhibu.orgs.models import OrgType
    from zhibu.records.models import ActivityKind
    from zhibu.rules.models import Requirement

    req = Requirement.objects.unscoped().create(
        code=code,
        name="每周政治学习",
        kind=ActivityKind.objects.unscoped().get(code="political-study", org=None),
        period="week",
        min_count=1,
        weekday=0,
        basis="本级文件",
        valid_from=date(2022, 1, 1),
        owner=owner,
    )
    req.org_types.set(OrgType.objects.filter(level="branch"))
    return req


def _district_req(tree) -> list:
    return [_requirement(tree.district, "QX-01").pk]


def _a_req(tree) -> list:
    return [_requirement(tree.a, "ZZ-01").pk]


def _theme_day(tree) -> list:
    from zhibu.rules.models import Requirement

    return [tree.district.code, Requirement.objects.unscoped().get(owner=None, kind__code="theme-day").pk]


def _district_notice(tree) -> dict:
    from zhibu.notices.services import notice_publish

    return {
        "notice": notice_publish(
            actor=tree.users.district, org=tree.district, title="十月主题党日主题", body="正文"
        ).pk
    }


def _district_link(tree) -> dict:
    from zhibu.notices.models import Notice
    from zhibu.rules.models import Requirement
    from zhibu.rules.services import requirement_notice_link

    notice = Notice.objects.unscoped().get(pk=_district_notice(tree)["notice"])
    requirement = Requirement.objects.unscoped().get(owner=None, kind__code="theme-day")
    return {
        "remove": requirement_notice_link(
            actor=tree.users.district, org=tree.district, requirement=requirement, notice=notice
        ).pk
    }


def _token(tree) -> list:
    from zhibu.rules.services import feed_token

    return [feed_token(actor=tree.users.sec_a).token]


A = lambda t: [t.a.code]  # noqa: E731
DISTRICT = lambda t: [t.district.code]  # noqa: E731
NEW_RULE = {
    "org": "district-edu",
    "name": "主题党日出席率不低于八成",
    "kind": "theme-day",
    "period": "month",
    "min_count": 1,
    "min_attendance": "0.8",
    "basis": "区委组织部文件",
    "valid_from": "2022-01-01",
}

ACCESS = [
    Case("rules:index", allowed={"district", "sec_a", "sec_b", "auditor"}),
    Case("rules:branch", allowed=VIEWERS_A, args=A, query="month=2022-03"),
    Case(
        "rules:branch",
        allowed={"district", "auditor"},
        args=DISTRICT,
        query="month=2022-03",
        label="committee",
    ),
    Case("rules:explain", allowed=VIEWERS_A, args=A, query="month=2022-03"),
    Case("rules:board", allowed={"district"}, args=DISTRICT, query="year=2022"),
    Case("rules:board_export", allowed={"district"}, args=DISTRICT, query="year=2022"),
    Case("rules:followup_add", allowed={"district"}, args=A, method="post", ok_status=(400,)),
    Case("rules:requirements", allowed=VIEWERS_A, args=A),
    Case("rules:requirement_add", allowed={"sec_a"}, args=A),
    Case("rules:requirement_add", allowed={"district"}, args=DISTRICT, label="committee"),
    Case(
        "rules:requirement_add",
        allowed={"sec_a"},
        args=A,
        method="post",
        ok_status=(400,),
        label="post-empty",
    ),
    Case("rules:requirement_edit", allowed={"district"}, args=_district_req),
    Case("rules:requirement_edit", allowed={"sec_a"}, args=_a_req, label="branch"),
    Case("rules:requirement_retire", allowed={"district"}, args=_district_req, method="post"),
    Case(
        "rules:requirement_notice",
        allowed={"district"},
        args=_theme_day,
        method="post",
        data=_district_notice,
    ),
    Case(
        "rules:requirement_notice",
        allowed={"district"},
        args=_theme_day,
        method="post",
        data=_district_link,
        label="remove",
    ),
    Case("rules:reminders", allowed=anyone_logged_in()),
    Case("rules:feed_reset", allowed=anyone_logged_in(), method="post"),
    Case("rules:ics", allowed=set(PERSONAS), args=_token),
    Case("api:rules_lights", allowed=VIEWERS_A, query="org=branch-a&month=2022-03"),
    Case(
        "api:rules_lights",
        allowed={"district", "auditor"},
        query="org=district-edu&month=2022-03",
        label="committee",
    ),
    Case("api:rules_requirements", allowed=VIEWERS_A, query="org=branch-a"),
    Case("api:rules_requirement", allowed=SEES_DISTRICT_RULES, args=_district_req),
    Case("api:rules_requirement_create", allowed={"district"}, method="post", data=NEW_RULE),
    Case(
        "api:rules_requirement_update",
        allowed={"district"},
        args=_district_req,
        method="patch",
        data={"min_count": 2},
    ),
    Case("api:rules_requirement_retire", allowed={"district"}, args=_district_req, method="delete"),
]
