"""Sessions: the idle timeout holds without a database write on every request."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhibu.core.middleware import SEEN_AT


def _session_writes(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    return response.status_code, len(writes)


def _age(client, seconds: int) -> None:
    session = client.session
    session[SEEN_AT] = int(time.time()) - seconds
    session.save()


def test_pages_within_the_touch_interval_write_no_session(tree, client, settings):
    client.force_login(tree.users.sec_a)
    home = reverse("home:index")
    assert client.session[SEEN_AT] >= int(time.time()) - 60  # the login itself is the first sighting
    client.get(home)  # (a test login has no login time for the absolute lifetime yet: this page records it)
    assert _session_writes(client, home) == (200, 0)
    assert _session_writes(client, home) == (200, 0)
    _age(client, settings.SESSION_TOUCH_SECONDS)
    status, writes = _session_writes(client, home)
    assert (status, writes) == (200, 1)
    assert int(time.time()) - client.session[SEEN_AT] <= 1


def test_a_session_idle_longer_than_the_timeout_is_signed_out(tree, client, settings):
    client.force_login(tree.users.sec_a)
    home = reverse("home:index")
    assert client.get(home).status_code == 200
    _age(client, settings.SESSION_COOKIE_AGE - 5)  # still inside the idle time
    assert client.get(home).status_code == 200
    _age(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={home}"
    assert client.get(home).status_code == 302  # signed out for good


def test_the_store_expiry_is_renewed_when_the_session_is_seen(tree, client, settings):
    from django.contrib.sessions.models import Session

    client.force_login(tree.users.sec_a)
    client.get(reverse("home:index"))
    _age(client, settings.SESSION_TOUCH_SECONDS + 1)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)
    client.get(reverse("home:index"))
    assert Session.objects.get(session_key=key).expire_date > before
