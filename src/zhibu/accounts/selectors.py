"""Reads of the accounts app: a user's own API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken


def own_tokens(user) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones too, for the record)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
