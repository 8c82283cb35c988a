from zhibu.testing.matrix import Case

# Everyone with a role or a roster record has a home page; the outsider sees the "no role" page (200).
# The system and security administrators, with no branch work, see that page too.
ACCESS = [
    Case(
        "home:index",
        {"district", "sec_a", "member_a", "sec_b", "auditor", "outsider", "sysadmin", "secadmin"},
    )
]
