"""通知: a superior publishes to its subtree or chosen branches; branches read; the superior sees who has."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.notices import selectors, services
from zhibu.notices.models import Notice, NoticeFile, NoticeRead

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def publish(t, **kwargs) -> Notice:
    return services.notice_publish(
        actor=t.users.district,
        org=t.district,
        title=kwargs.pop("title", "关于学习的通知"),
        body="请各支部组织学习。",
        **kwargs,
    )


def test_whole_subtree_notice_reaches_every_branch_and_is_read_per_branch(tree, client):
    notice = publish(tree)
    assert [o.code for o in selectors.receivers(notice)] == ["branch-a", "branch-b"]
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("notices:org", args=[tree.a.code])).content.decode()
    assert "关于学习的通知" in page and "未读" in page
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 302
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 302  # twice: one reading
    assert NoticeRead.objects.unscoped().filter(notice=notice).count() == 1
    client.force_login(tree.users.district)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "阅读情况（1/2）" in page
    status = dict((o.code, r) for o, r in selectors.read_status(tree.users.district, notice))
    assert status["branch-a"].read_by == tree.users.sec_a and status["branch-b"] is None


def test_a_notice_to_chosen_branches_is_not_seen_by_others(tree, client):
    notice = publish(tree, targets=[tree.b])
    assert [o.code for o in selectors.receivers(notice)] == ["branch-b"]
    client.force_login(tree.users.sec_a)
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    assert "关于学习的通知" not in client.get(reverse("notices:org", args=[tree.a.code])).content.decode()
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 404
    assert not NoticeRead.objects.unscoped().exists()


def test_a_member_reads_but_does_not_mark_for_the_branch(tree, client):
    notice = publish(tree)
    client.force_login(tree.users.member_a)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "请各支部组织学习。" in page and "标记为已读" not in page
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 404


def test_publish_through_the_page_with_an_attachment(tree, client):
    client.force_login(tree.users.district)
    response = client.post(
        reverse("notices:publish", args=[tree.district.code]),
        {
            "title": "十月主题党日安排",
            "body": "主题：学习党章。",
            "deadline": "2030-10-31",
            "targets": [tree.a.pk],
            "files": [SimpleUploadedFile("安排.pdf", PDF, content_type="text/html")],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    notice = Notice.objects.unscoped().get(title="十月主题党日安排")
    item = NoticeFile.objects.unscoped().get(notice=notice)
    assert (item.name, item.content_type) == ("安排.pdf", "application/pdf")
    client.force_login(tree.users.sec_a)
    download = client.get(reverse("notices:file", args=[notice.pk, item.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "body": "x"}, "这个字段是必填项。"),
        ({"title": "t", "body": "x", "deadline": "2000-01-01"}, "办理期限不能早于发布日期。"),
        (
            {
                "title": "t",
                "body": "x",
                "files": [SimpleUploadedFile("a.html", b"<html>", content_type="text/html")],
            },
            "附件「a.html」：不支持此文件：只能上传PDF、Word、Excel 或图片（JPG、PNG、WebP）",
        ),
    ],
)
def test_bad_notices_are_refused_and_nothing_is_saved(tree, client, data, message):
    client.force_login(tree.users.district)
    response = client.post(reverse("notices:publish", args=[tree.district.code]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Notice.objects.unscoped().exists() and not NoticeFile.objects.unscoped().exists()


def test_targets_outside_the_subtree_are_refused(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        publish(tree, targets=[tree.other_branch])
    assert not Notice.objects.unscoped().exists()


def test_a_secretary_cannot_publish(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.post(reverse("notices:publish", args=[tree.a.code]), {"title": "t", "body": "b"})
    assert response.status_code == 404
    assert not Notice.objects.unscoped().exists()


def test_the_publisher_is_not_offered_to_read_for_a_branch_below(tree, client):
    notice = services.notice_publish(
        actor=tree.users.district, org=tree.district, title="关于主题党日的通知", body="正文"
    )
    client.force_login(tree.users.district)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "阅读情况（0/" in page and "尚未阅读。" not in page and "标记为已读" not in page
