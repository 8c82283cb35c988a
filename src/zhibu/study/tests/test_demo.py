from zhibu.demo import DemoContext
from zhibu.demo_core import build_core
from zhibu.orgs import scoping
from zhibu.study import demo, selectors


def test_demo_kindergarten_first_in_december_and_notes_near_20000(db):
    ctx = DemoContext()
    build_core(ctx)
    demo.build(ctx)
    kg, district = ctx.orgs["wolongshan-kg"], ctx.orgs["district-edu"]
    assert selectors.rankings_enabled(kg)
    rows = selectors.ranking(scoping.SYSTEM, district, 2022, 12)
    assert rows[0].org.code == "wolongshan-kg" and rows[0].rank == 1
    assert selectors.branch_rank(kg, 2022, 12) == (1, len(rows))
    assert 19_000 <= selectors.note_chars(scoping.SYSTEM, kg, 2022) <= 19_999
    assert any("政治学习笔记" in line for line in ctx.notes)
