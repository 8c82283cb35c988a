from zhibu.testing.matrix import Case, anyone_logged_in

VIEWERS = {"district", "sec_a", "auditor"}
EDITORS = {"district", "sec_a"}
A = lambda t: [t.a.code]  # noqa: E731
MEMBER = lambda t: [t.members.member_a.pk]  # noqa: E731


ACCESS = [
    Case("dues:index", anyone_logged_in()),
    Case("dues:roll", VIEWERS, args=A),
    Case("dues:roll", VIEWERS, args=A, query="month=2022-13", ok_status=(400,), label="bad month"),
    Case("dues:roll_export", EDITORS, args=A, query="month=2022-12"),
    Case("dues:import", EDITORS, args=A),
    Case("dues:import", EDITORS, args=A, method="post", ok_status=(400,), label="post"),
    Case("dues:summary", {"district", "auditor"}, args=lambda t: [t.district.code]),
    # Dues settings are settings: the system administrator keeps them too (三员分立).
    Case("dues:settings", {"district", "sysadmin"}, args=A),
    Case("dues:settings", {"district", "sysadmin"}, args=A, method="post", ok_status=(400,), label="post"),
    Case("dues:member", VIEWERS | {"member_a"}, args=MEMBER),
    Case("dues:member", VIEWERS, args=lambda t: [t.members.a3.pk], label="other member"),
    Case("dues:base_set", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("dues:payment_record", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("dues:exemption_add", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("dues:extra_add", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    # API
    Case("api:dues_roll", VIEWERS, args=A),
    Case("api:dues_summary", {"district", "auditor"}, args=lambda t: [t.district.code]),
    Case("api:dues_member", VIEWERS | {"member_a"}, args=MEMBER),
    Case(
        "api:dues_base_set",
        EDITORS,
        args=MEMBER,
        method="post",
        data={"effective_month": "2022-01", "income_type": "salaried", "base": "3200"},
    ),
    Case(
        "api:dues_payment_record",
        EDITORS,
        args=MEMBER,
        method="post",
        ok_status=(422,),
        data={"month": "2022-01", "paid_on": "2022-01-15"},
    ),
    Case(
        "api:dues_exemption_add",
        EDITORS,
        args=MEMBER,
        method="post",
        ok_status=(422,),
        data={
            "kind": "exempt",
            "from_month": "2022-01",
            "to_month": "2022-03",
            "reason": "重病住院",
            "branch_decided_on": "2022-01-05",
            "approved_by": "区教体局党委",
            "approved_on": "2022-01-10",
        },
    ),
    Case(
        "api:dues_extra_add",
        EDITORS,
        args=MEMBER,
        method="post",
        data={"paid_on": "2022-07-01", "amount": "100"},
    ),
]

ACCESS += [Case("dues:mine", {"sec_a", "member_a", "sec_b"})]
