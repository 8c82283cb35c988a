from zhibu.testing.matrix import Case, anyone_logged_in

from .factories import make_transfer

VIEWERS = {"district", "sec_a", "auditor"}
EDITORS = {"district", "sec_a"}
A = lambda t: [t.a.code]  # noqa: E731
MEMBER = lambda t: [t.members.member_a.pk]  # noqa: E731


def _transfer(t):
    return [make_transfer(t).pk]


ACCESS = [
    Case("membership:watch", VIEWERS, args=A),
    Case("membership:transfer_in_new", EDITORS, args=A),
    Case("membership:transfer_in_new", EDITORS, args=A, method="post", ok_status=(400,), label="post"),
    Case("membership:contact_add", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("membership:mobile_register", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("membership:mobile_return", EDITORS, args=MEMBER, method="post", ok_status=(400,)),
    Case("membership:transfer_new", EDITORS, args=MEMBER),
    Case("membership:transfer_new", EDITORS, args=MEMBER, method="post", ok_status=(400,), label="post"),
    Case("membership:transfers_index", anyone_logged_in()),
    Case("membership:transfer_detail", VIEWERS | {"sec_b"}, args=_transfer),
    Case(
        "membership:transfer_receive", {"district", "sec_b"}, args=_transfer, method="post", ok_status=(400,)
    ),
    Case("membership:transfer_cancel", EDITORS, args=_transfer, method="post", ok_status=(400,)),
    Case("api:dues_watch", VIEWERS, args=A),
    Case("api:dues_contact_add", EDITORS, args=MEMBER, method="post", data={"contacted_on": "2022-07-01"}),
    Case("api:dues_transfers", anyone_logged_in()),
    Case(
        "api:dues_transfer_issue",
        EDITORS,
        args=MEMBER,
        method="post",
        ok_status=(422,),
        data={"issued_on": "2022-12-01", "to_org": "branch-b", "serial": "JS-1"},
    ),
    Case(
        "api:dues_transfer_receive",
        {"district", "sec_b"},
        args=_transfer,
        method="post",
        ok_status=(422,),
        data={"received_on": "2022-12-10"},
    ),
]
