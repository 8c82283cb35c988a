from datetime import date

import pytest

from zhibu.demo import DemoContext
from zhibu.dues import demo as dues_demo
from zhibu.membership import demo
from zhibu.membership.models import Transfer


@pytest.fixture
def ctx(db):
    from zhibu.demo_core import build_core

    context = DemoContext()
    build_core(context)
    dues_demo.build(context)
    demo.build(context)
    return context


def test_a_transfer_waits(ctx):
    waiting = Transfer.objects.unscoped().get()
    assert (waiting.status, waiting.issued_on, waiting.from_org.code, waiting.to_org.code) == (
        "issued",
        date(2022, 12, 20),
        "qinghe-ps",
        "shiyan-ms",
    )
