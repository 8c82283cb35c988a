"""Locust users for `make bench-load` (zhibu.loadtest): secretaries reading and recording, superiors on the
board and the lights. Sessions and API tokens come prepared in the JSON file named by LOAD_PEOPLE."""

from __future__ import annotations

import itertools
import json
import os
import random
from datetime import datetime, timedelta

from locust import HttpUser, between, task

from zhibu.loadtest.pace import THINK_SECONDS

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"], encoding="utf-8").read())
SESSION_COOKIE = PEOPLE["cookie"]
_secretaries = itertools.cycle(PEOPLE["secretaries"])
_superiors = itertools.cycle(PEOPLE["superiors"])


def _check(response) -> None:
    """A page counts as an error unless it answered 2xx as the logged-in person (not the login page)."""
    if response.status_code >= 400:
        response.failure(f"HTTP {response.status_code}")
    elif "/accounts/login" in response.url:
        response.failure("sent to the login page")
    else:
        response.success()


class Secretary(HttpUser):
    weight = 4
    wait_time = between(*THINK_SECONDS)

    def on_start(self) -> None:
        me = next(_secretaries)
        self.branch, self.token = me["branch"], me["token"]
        self.client.cookies.set(SESSION_COOKIE, me["session"])

    @task(3)
    def records(self) -> None:
        with self.client.get(f"/records/{self.branch}/", name="/records/[branch]/", catch_response=True) as r:
            _check(r)

    @task(3)
    def lights(self) -> None:
        with self.client.get(f"/rules/{self.branch}/", name="/rules/[branch]/", catch_response=True) as r:
            _check(r)

    @task(1)
    def record(self) -> None:
        start = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(
            days=random.randint(0, 5)
        )
        body = {
            "org": self.branch,
            "kind": "theme-day",
            "topic": "主题党日：学习党章",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "location": "党员活动室",
        }
        with self.client.post(
            "/api/v1/records/activities",
            json=body,
            name="/api/v1/records/activities",
            headers={"Authorization": f"Bearer {self.token}"},
            catch_response=True,
        ) as r:
            _check(r)


class Superior(HttpUser):
    weight = 1
    wait_time = between(*THINK_SECONDS)

    def on_start(self) -> None:
        me = next(_superiors)
        self.root, self.branches = me["root"], PEOPLE["branches"]
        self.client.cookies.set(SESSION_COOKIE, me["session"])

    @task(3)
    def board(self) -> None:
        with self.client.get(
            f"/rules/{self.root}/board/?year={PEOPLE['year']}",
            name="/rules/[root]/board/",
            catch_response=True,
        ) as r:
            _check(r)

    @task(2)
    def lights(self) -> None:
        code = random.choice(self.branches)
        with self.client.get(
            f"/rules/{code}/?year={PEOPLE['year']}", name="/rules/[branch]/ (superior)", catch_response=True
        ) as r:
            _check(r)
