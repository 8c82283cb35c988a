from zhibu.accounts.models import ApiToken
from zhibu.testing.matrix import Case, anyone_logged_in


def _token_of_sec_a(tree):
    return [ApiToken.objects.create(user=tree.users.sec_a, prefix="matrix00", token_hash="m" * 64).pk]


ACCESS = [
    Case("accounts:password", allowed=anyone_logged_in()),
    Case("accounts:logout", method="post", allowed=anyone_logged_in() | {"anonymous"}),
    Case("core:home", allowed=anyone_logged_in()),
    Case("accounts:tokens", allowed=anyone_logged_in()),
    # One's own tokens only: another's token answers 404.
    Case("accounts:token_revoke", args=_token_of_sec_a, method="post", allowed={"sec_a"}),
]
ACCESS.append(Case("api:accounts_me", allowed=anyone_logged_in()))
ACCESS += [
    Case("api:accounts_tokens", allowed=anyone_logged_in()),
    Case("api:accounts_token_revoke", args=_token_of_sec_a, method="post", allowed={"sec_a"}),
]
