from django.urls import reverse

from zhibu.audit import services as audit
from zhibu.audit.models import AuditEntry


def test_auditor_sees_entries_of_their_subtree_only(tree, client):
    audit.log(actor=tree.users.sec_a, verb="member.update", target=tree.members.a3)
    audit.log(actor=None, verb="member.update", target=tree.members.other1)
    client.force_login(tree.users.auditor)
    response = client.get(reverse("audit:index"))
    rows = list(response.context["rows"])
    assert [(r.actor_name, r.target_repr) for r in rows] == [("甲书记", "陶俊颖")]


def test_changes_lists_only_fields_that_differ():
    assert audit.changes({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_entry_keeps_org_path_and_ip(tree, client):
    client.force_login(tree.users.district)
    client.post(
        reverse("orgs:edit", args=[tree.b.code]),
        {"name": "乙小学党支部（新）", "short_name": "乙小学", "unit_situation": "entity"},
    )
    entry = AuditEntry.objects.get(verb="org.update")
    assert entry.org_path == tree.b.path and entry.ip == "127.0.0.1"
    assert entry.detail == {
        "name": ["乙小学党支部", "乙小学党支部（新）"],
        "short_name": ["乙小学党支部", "乙小学"],
    }
