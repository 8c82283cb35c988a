"""Demo 组织关系转接: one letter between two schools, issued in December 2022 and waiting to be received."""

from __future__ import annotations

from datetime import date

from zhibu.dues.demo import YEAR, _party

from .models import Transfer


def build(ctx) -> None:
    # One letter issued in December 2022 from 清河小学 to 实验中学, not yet received.
    sender = ctx.orgs.get("qinghe-ps")
    receiver = ctx.orgs.get("shiyan-ms")
    movers = [m for m in _party(ctx.members.get("qinghe-ps", {})) if not m.party_post]
    if sender and receiver and movers:
        mover = movers[-1]
        Transfer.objects.unscoped().create(
            member=mover,
            member_name=mover.name,
            kind=Transfer.Kind.INTERNAL,
            from_org=sender,
            to_org=receiver,
            serial="区教组转〔2022〕12号",
            reason="工作调动",
            dues_paid_to=date(YEAR, 12, 1),
            issued_on=date(YEAR, 12, 20),
            valid_until=date(YEAR + 1, 3, 20),
        )
        ctx.notes.append(
            f"组织关系：{mover.name}的组织关系由清河小学转往实验中学，2022-12-20 开具，待接收"
            "（有效期至 2023-03-20，接收时填写有效期内的接收日期）。"
        )
