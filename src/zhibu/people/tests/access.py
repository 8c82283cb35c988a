from zhibu.testing.matrix import Case, anyone_logged_in

ROSTER_VIEW = {"district", "sec_a", "auditor"}  # VIEW over branch-a
ROSTER_EDIT = {"district", "sec_a"}  # MEMBERS (and PII, EXPORT) over branch-a


def _a(t):
    return [t.a.code]


def _a3(t):
    return [t.members.a3.pk]


ACCESS = [
    Case("people:index", allowed=anyone_logged_in() - {"outsider", "sysadmin", "secadmin"}),
    Case("people:me", allowed={"sec_a", "member_a", "sec_b"}),
    Case("people:template", allowed={"district", "sec_a", "sec_b"}),
    Case("people:list", allowed=ROSTER_VIEW, args=_a),
    Case("people:list", allowed=ROSTER_VIEW, args=_a, query="q=zwh&status=full", label="filtered"),
    Case("people:list", allowed={"district", "auditor"}, args=lambda t: [t.district.code], label="committee"),
    Case(
        "people:list", allowed=ROSTER_VIEW, args=_a, method="post", data={"q": "zwh"}, label="search-posted"
    ),
    Case("people:create", allowed=ROSTER_EDIT, args=_a),
    Case("people:create", allowed=ROSTER_EDIT, args=_a, method="post", ok_status=(400,), label="post-empty"),
    Case("people:import", allowed=ROSTER_EDIT, args=_a),
    Case("people:import", allowed=ROSTER_EDIT, args=_a, method="post", ok_status=(400,), label="post-empty"),
    Case("people:export", allowed=ROSTER_EDIT, args=_a),
    Case("people:export", allowed=ROSTER_EDIT, args=_a, query="full=1", label="full"),
    Case("people:export_job", allowed=ROSTER_EDIT, args=_a, method="post"),
    Case("people:export_job", allowed=ROSTER_EDIT, args=_a, method="post", data={"full": "1"}, label="full"),
    Case("people:detail", allowed=ROSTER_VIEW, args=_a3),
    Case(
        "people:detail",
        allowed=ROSTER_VIEW | {"member_a"},
        args=lambda t: [t.members.member_a.pk],
        label="own-record",
    ),
    Case("people:edit", allowed=ROSTER_EDIT, args=_a3),
    Case("people:edit", allowed=ROSTER_EDIT, args=_a3, method="post", ok_status=(400,), label="post-empty"),
    Case("people:reveal", allowed=ROSTER_EDIT, args=_a3, method="post"),
    Case("people:status_add", allowed=ROSTER_EDIT, args=_a3, method="post", ok_status=(400,)),
    Case("api:people_list", allowed=anyone_logged_in()),
    Case("api:people_list", allowed=ROSTER_VIEW, query="org=branch-a", label="org"),
    Case("api:people_search", allowed=anyone_logged_in(), method="post", data={"q": "zwh"}),
    Case("api:people_search", allowed=ROSTER_VIEW, method="post", data={"org": "branch-a"}, label="org"),
    Case("api:people_detail", allowed=ROSTER_VIEW, args=_a3),
    Case("api:people_detail", allowed=ROSTER_EDIT, args=_a3, query="full=1", label="full"),
    Case("api:people_create", allowed=ROSTER_EDIT, method="post", data={"org": "branch-a"}, ok_status=(422,)),
    Case("api:people_update", allowed=ROSTER_EDIT, args=_a3, method="patch", data={"post": "教师"}),
    Case("api:people_status_add", allowed=ROSTER_EDIT, args=_a3, method="post", data={}, ok_status=(422,)),
]
