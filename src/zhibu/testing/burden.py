"""Measuring the burden of a task in the browser: taps, typed fields and page loads.

A journey drives a Playwright page through a `Burden`, which counts each tap (a click, a check, choosing a
file; two for a drop-down list), each field typed into and each page load after the start. The figures go to the file named by
ZHIBU_BURDEN_OUT (JSON, one entry per task) so that `make bench` can print them; the journeys themselves are
browser tests that also hold the targets."""

from __future__ import annotations

import json
import os
from pathlib import Path


class Burden:
    def __init__(self, page, task: str):
        self.page, self.task = page, task
        self.taps = self.fields = self.pages = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.pages += 1

    def tap(self, selector: str) -> None:
        self.page.click(selector)
        self.taps += 1

    def check(self, selector: str) -> None:
        self.page.check(selector)
        self.taps += 1

    def choose(self, selector: str, value: str) -> None:
        """A drop-down list: on a phone one tap opens it and one picks the line."""
        self.page.select_option(selector, value)
        self.taps += 2

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.fields += 1

    def choose_file(self, selector: str, path: str) -> None:
        self.page.set_input_files(selector, path)
        self.taps += 1

    def settle(self) -> None:
        self.page.wait_for_load_state("networkidle")

    def record(self) -> dict:
        self.page.remove_listener("load", self._loaded)
        figures = {"taps": self.taps, "fields": self.fields, "pages": self.pages}
        out = os.environ.get("ZHIBU_BURDEN_OUT")
        if out:
            path = Path(out)
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            data[self.task] = figures
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return figures
