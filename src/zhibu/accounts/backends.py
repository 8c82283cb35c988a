from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from zhibu.core.crypto import digest


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the user name or the mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        users = get_user_model()._default_manager
        login = username.strip()
        user = users.filter(username=login).first() or users.filter(phone_digest=digest(login)).first()
        if user is None:
            users.model().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
