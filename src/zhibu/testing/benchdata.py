"""Synthetic trees for benchmarks: a city committee, a district committee and N numbered branches under it."""

from __future__ import annotations


def bench_district(branches: int):
    """Build the tree in bulk and return (district committee, branches in path order)."""
    from zhibu.orgs.models import Organisation, OrgType

    committee_type = OrgType.objects.get(code="committee")
    branch_type = OrgType.objects.get(code="branch")
    root = Organisation.objects.add_root(
        instance=Organisation(code="bench-city", name="某市教育工委", type=committee_type)
    )
    committee = Organisation.objects.add_child(
        root, instance=Organisation(code="bench-district", name="某区教体局党委", type=committee_type)
    )
    Organisation.objects.bulk_create(
        [
            Organisation(
                code=f"bench-b{i:04d}",
                name=f"第{i}党支部",
                short_name=f"第{i}支部",
                type=branch_type,
                path=f"{committee.path}{i:04d}",
                depth=committee.depth + 1,
                numchild=0,
            )
            for i in range(1, branches + 1)
        ],
        batch_size=1000,
    )
    Organisation.objects.filter(pk=committee.pk).update(numchild=branches)
    return committee, list(Organisation.objects.filter(code__startswith="bench-b").order_by("path"))
