from zhibu.testing.matrix import Case, anyone_logged_in

ACCESS = [
    Case("accounts:password", allowed=anyone_logged_in()),
    Case("accounts:logout", method="post", allowed=anyone_logged_in() | {"anonymous"}),
    Case("core:home", allowed=anyone_logged_in()),
]
ACCESS.append(Case("api:accounts_me", allowed=anyone_logged_in()))
