from zhibu.testing.matrix import Case, anyone_logged_in


def _notice(t):
    from zhibu.notices.services import notice_publish

    return [
        notice_publish(actor=t.users.district, org=t.district, title="关于开展主题党日的通知", body="正文").pk
    ]


ACCESS = [
    # A user with no role anywhere has no home: 404 like any other page outside their scope.
    Case("notices:index", anyone_logged_in() - {"outsider"}),
    Case("notices:org", {"district", "sec_a", "member_a", "auditor"}, args=lambda t: [t.a.code]),
    Case("notices:publish", {"district"}, args=lambda t: [t.district.code]),
    Case(
        "notices:publish",
        {"district"},
        args=lambda t: [t.district.code],
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case("notices:detail", {"district", "sec_a", "member_a", "sec_b", "auditor"}, args=_notice),
    Case("notices:read", {"sec_a", "sec_b"}, args=_notice, method="post"),
    Case("notices:file", set(), args=lambda t: _notice(t) + [999999], label="missing file"),
]
