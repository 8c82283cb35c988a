"""Uploaded files at rest (core.filestore): encrypted with the data key, mode 0600 in 0700 directories, served
decrypted through the scoped views, typed by the server, re-encrypted by `zhibu rotate-key`; files stored in
clear before encryption still open, and rotation encrypts them."""

from __future__ import annotations

import io
import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.audit.wording import label
from zhibu.core import filestore, uploads
from zhibu.development import services as development
from zhibu.development.tests.helpers import open_case
from zhibu.notices import services as notices
from zhibu.orgs.scoping import SYSTEM
from zhibu.records import services as records
from zhibu.records.tests.helpers import docx_bytes, jpeg_bytes, png_bytes, record
from zhibu.work import services as work
from zhibu.work.tests import factories as wf

NEW = "a-new-data-key-of-enough-length-0123456789"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def on_disk(field_file) -> bytes:
    with open(field_file.path, "rb") as handle:
        return handle.read()


def mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_sealed(field_file, plain: bytes) -> None:
    blob = on_disk(field_file)
    assert blob.startswith(filestore.MAGIC)
    assert plain not in blob and plain[:16] not in blob
    assert mode(field_file.path) == 0o600
    assert mode(os.path.dirname(field_file.path)) == 0o700
    assert filestore.load(field_file) == plain


def test_an_attachment_is_encrypted_0600_and_downloads_as_uploaded(tree, login):
    data = png_bytes()
    item = records.attachment_add(
        actor=tree.users.sec_a,
        activity=record(tree),
        upload=SimpleUploadedFile("合影.png", data, content_type="text/html"),
    )
    assert_sealed(item.file, data)
    assert on_disk(item.thumbnail).startswith(filestore.MAGIC) and mode(item.thumbnail.path) == 0o600
    client = login(tree.users.sec_a)
    response = client.get(reverse("records:attachment", args=[item.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == data
    thumb = client.get(reverse("records:attachment", args=[item.pk]) + "?thumb=1")
    assert thumb["Content-Type"] == "image/jpeg" and body(thumb)[:3] == b"\xff\xd8\xff"


def test_a_full_attachment_download_is_audited_a_thumbnail_is_not(tree, login):
    item = records.attachment_add(
        actor=tree.users.sec_a, activity=record(tree), upload=SimpleUploadedFile("合影.png", png_bytes())
    )
    client = login(tree.users.district)
    client.get(reverse("records:attachment", args=[item.pk]) + "?thumb=1")
    assert not AuditEntry.objects.filter(verb="attachment.download").exists()
    client.get(reverse("records:attachment", args=[item.pk]))
    entry = AuditEntry.objects.get(verb="attachment.download")
    assert (entry.actor, entry.org_path, entry.target_id) == (tree.users.district, tree.a.path, str(item.pk))
    assert entry.detail["name"] == "合影.png"
    assert label("attachment.download") == "下载附件"


def test_a_development_document_is_encrypted_and_downloaded_as_an_attachment(tree, login):
    data = docx_bytes()
    document = development.document_upload(
        actor=SYSTEM,
        case=open_case(tree.a),
        kind="application",
        upload=SimpleUploadedFile("申请书.docx", data, content_type="text/html"),
    )
    assert_sealed(document.file, data)
    response = login(tree.users.sec_a).get(reverse("development:document", args=[document.pk]))
    assert response["Content-Type"] == uploads.DOCX.content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == data
    assert AuditEntry.objects.filter(verb="development.document_view").count() == 1


def test_a_notice_file_is_encrypted_and_its_download_audited(tree, login):
    notice = notices.notice_publish(
        actor=tree.users.district,
        org=tree.district,
        title="关于学习的通知",
        body="请各支部组织学习。",
        uploads=[SimpleUploadedFile("安排.pdf", PDF, content_type="text/html")],
    )
    item = notice.files.get()
    assert_sealed(item.file, PDF)
    response = login(tree.users.sec_a).get(reverse("notices:file", args=[notice.pk, item.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PDF
    assert AuditEntry.objects.filter(verb="notice.file_download", actor=tree.users.sec_a).count() == 1


def test_a_space_photo_is_encrypted_and_shown_inline(tree, login):
    data = jpeg_bytes((80, 60))
    photo = work.space_photo_add(
        actor=tree.users.sec_a,
        space=wf.space(tree.a, "党员活动室"),
        upload=SimpleUploadedFile("x.txt", data, content_type="text/plain"),
    )
    assert_sealed(photo.file, data)
    response = login(tree.users.sec_a).get(reverse("work:photo", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert body(response) == data


def test_a_file_missing_from_disk_is_a_404(tree, login):
    item = records.attachment_add(
        actor=tree.users.sec_a, activity=record(tree), upload=SimpleUploadedFile("a.pdf", PDF)
    )
    os.remove(item.file.path)
    assert login(tree.users.sec_a).get(reverse("records:attachment", args=[item.pk])).status_code == 404


def legacy_attachment(tree, data: bytes, content_type: str):
    """An attachment written before encryption: the plain bytes on disk."""
    from zhibu.records.models import Attachment

    item = Attachment(activity=record(tree), name="旧附件", content_type=content_type, size=len(data))
    item.file.save("old.bin", ContentFile(data), save=False)
    item.save()
    return item


def test_a_file_stored_in_clear_before_encryption_is_still_served(tree, login):
    item = legacy_attachment(tree, PDF, "application/pdf")
    assert on_disk(item.file) == PDF
    response = login(tree.users.sec_a).get(reverse("records:attachment", args=[item.pk]))
    assert (response["Content-Type"], body(response)) == ("application/pdf", PDF)


def test_the_served_type_comes_from_the_content_never_from_a_stored_or_sent_type(tree, login):
    html = b"<html><script>alert(1)</script></html>"
    item = legacy_attachment(tree, html, "text/html")
    response = login(tree.users.sec_a).get(reverse("records:attachment", args=[item.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        uploads.sniffed_type(PDF, "image/png") == "application/octet-stream"
    )  # recorded type no longer agrees
    assert uploads.sniffed_type(docx_bytes(), uploads.XLSX.content_type) == uploads.XLSX.content_type
    assert uploads.sniffed_type(html, "image/jpeg") == "application/octet-stream"


def test_rotate_key_re_encrypts_files_and_encrypts_those_stored_in_clear(tree, settings, login):
    sealed = records.attachment_add(
        actor=tree.users.sec_a, activity=record(tree), upload=SimpleUploadedFile("a.pdf", PDF)
    )
    clear = legacy_attachment(tree, PDF + b"%old", "application/pdf")
    before = on_disk(sealed.file)
    settings.DATA_KEY, settings.DATA_KEYS_OLD = NEW, [settings.DATA_KEY]
    out = io.StringIO()
    call_command("rotate_key", stdout=out)
    assert "、2 个文件" in out.getvalue()  # the PDF attachment (no thumbnail) and the one stored in clear
    settings.DATA_KEYS_OLD = []  # the old key is gone: every file opens under the new one alone
    assert on_disk(sealed.file) != before
    assert_sealed(sealed.file, PDF)
    assert_sealed(clear.file, PDF + b"%old")
    assert AuditEntry.objects.get(verb="key.rotate_files").detail == {"files": 2}
    response = login(tree.users.sec_a).get(reverse("records:attachment", args=[clear.pk]))
    assert body(response) == PDF + b"%old"


def test_a_file_under_an_unknown_key_fails_loudly(tree, settings):
    item = records.attachment_add(
        actor=tree.users.sec_a, activity=record(tree), upload=SimpleUploadedFile("a.pdf", PDF)
    )
    settings.DATA_KEY, settings.DATA_KEYS_OLD = NEW, []
    with pytest.raises(ValueError, match="数据密钥不匹配"):
        filestore.load(item.file)


def test_a_background_export_is_stored_encrypted_and_its_download_audited(tree, login):
    from zhibu.jobs import services as jobs

    job = jobs.start(
        actor=tree.users.district,
        org=tree.district,
        label="导出名册",
        task="zhibu.people.jobs.roster_export",
        full=False,
    )
    jobs.run(job.pk)  # what the worker does
    job.refresh_from_db()
    blob = on_disk(job.result_file)
    assert blob.startswith(filestore.MAGIC) and mode(job.result_file.path) == 0o600
    response = login(tree.users.district).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == filestore.load(job.result_file) != blob
    entry = AuditEntry.objects.get(verb="job.download")
    assert (entry.actor, entry.org_path, entry.detail["label"]) == (
        tree.users.district,
        tree.district.path,
        "导出名册",
    )


def test_files_stored_in_clear_are_encrypted_without_a_key_change(tree, settings):
    sealed = records.attachment_add(
        actor=tree.users.sec_a, activity=record(tree), upload=SimpleUploadedFile("a.pdf", PDF)
    )
    clear = legacy_attachment(tree, PDF + b"%old", "application/pdf")
    before = on_disk(sealed.file)
    out = io.StringIO()
    call_command("rotate_key", "--encrypt-files", stdout=out)
    assert out.getvalue() == "已加密 1 个此前以明文保存的文件。\n"
    assert on_disk(sealed.file) == before  # already encrypted: left as it was
    assert_sealed(clear.file, PDF + b"%old")
