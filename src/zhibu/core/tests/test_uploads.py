"""The one strict upload check (core.uploads), through the development documents and the record attachments
that use it: content decides the type, the whole file must parse, the server decides how it is served."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhibu.core import uploads
from zhibu.development import services as development
from zhibu.development.models import Document
from zhibu.development.tests.helpers import open_case
from zhibu.orgs.scoping import SYSTEM
from zhibu.records import services as records
from zhibu.records.models import Attachment
from zhibu.records.tests.helpers import record

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot() -> bytes:
    """A real JPEG that is also an HTML page: the markup sits in a comment segment right after the start."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    jpeg = out.getvalue()
    comment = b"\xff\xfe" + struct.pack(">H", len(HTML) + 2) + HTML
    return jpeg[:2] + comment + jpeg[2:]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (no pixel data follows)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def case(tree):
    return open_case(tree.a)


def test_the_polyglot_is_a_jpeg_to_pillow_and_html_to_a_sniffer():
    data = polyglot()
    assert HTML in data[:200]
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"


def test_a_jpeg_html_polyglot_is_never_served_as_html(tree, login, case):
    upload = SimpleUploadedFile("page.html", polyglot(), content_type="text/html")
    document = development.document_upload(actor=SYSTEM, case=case, kind="application", upload=upload)
    assert (document.content_type, document.name) == ("image/jpeg", "page.jpg")
    response = login(tree.users.sec_a).get(reverse("development:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == polyglot()


def test_a_polyglot_attachment_is_shown_only_as_an_image(tree, login):
    activity = record(tree)
    attachment = records.attachment_add(
        actor=tree.users.sec_a,
        activity=activity,
        upload=SimpleUploadedFile("x.htm", polyglot(), content_type="text/html"),
    )
    response = login(tree.users.sec_a).get(reverse("records:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]


def test_html_named_as_a_photo_is_refused_whatever_the_browser_says(tree, case):
    upload = SimpleUploadedFile("申请书.jpg", HTML, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        development.document_upload(actor=SYSTEM, case=case, kind="application", upload=upload)
    assert exc.value.message_dict["file"] == [
        "不支持此文件：只能上传PDF、JPG、PNG 或 Word 文件。系统按文件内容判断类型，改扩展名无效。"
    ]
    assert not Document.objects.unscoped().exists()


def test_a_png_claiming_13000_by_13000_pixels_is_refused_before_decoding(tree, case, settings):
    data = png_claiming(13000, 13000)
    assert len(data) < 100
    upload = SimpleUploadedFile("scan.png", data, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        development.document_upload(actor=SYSTEM, case=case, kind="application", upload=upload)
    assert exc.value.message_dict["file"] == ["图片像素过多，最多 5000 万像素，请缩小后再上传。"]
    assert not Document.objects.unscoped().exists()
    activity = record(tree)
    with pytest.raises(ValidationError) as exc:
        records.attachment_add(
            actor=tree.users.sec_a,
            activity=activity,
            upload=SimpleUploadedFile("scan.png", data, content_type="image/png"),
        )
    assert exc.value.message_dict["file"] == ["图片像素过多，最多 5000 万像素，请缩小后再上传。"]
    assert not Attachment.objects.unscoped().exists()


def test_pixel_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(uploads.Refused) as exc:
        uploads.identify(png_claiming(1200, 1000), [uploads.PNG])
    assert exc.value.messages == ["图片像素过多（1200×1000），最多 100 万像素，请缩小后再上传。"]


def test_a_pdf_must_be_whole():
    assert uploads.identify(b"%PDF-1.4\n1 0 obj\n%%EOF\n", [uploads.PDF]) is uploads.PDF
    with pytest.raises(uploads.Refused) as exc:
        uploads.identify(b"%PDF-1.4\n1 0 obj\n", [uploads.PDF])
    assert exc.value.messages == ["PDF 文件不完整（缺少文件结尾），请重新导出后上传。"]


def _package(content_types: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_office_packages_are_told_apart_by_their_content_types():
    word = (
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    sheet = (
        '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    assert uploads.identify(_package(word), [uploads.DOCX, uploads.XLSX]) is uploads.DOCX
    assert uploads.identify(_package(sheet), [uploads.DOCX, uploads.XLSX]) is uploads.XLSX
    with pytest.raises(uploads.Refused, match="不支持此文件：只能上传Word 文档"):
        uploads.identify(_package(sheet), [uploads.DOCX])
    with pytest.raises(uploads.Refused, match="不支持此文件"):
        uploads.identify(_package("<Types/>"), [uploads.DOCX])


def test_a_stored_type_this_module_does_not_accept_is_served_as_a_download():
    assert uploads.served_type("text/html") == "application/octet-stream"
    assert uploads.served_type("image/svg+xml") == "application/octet-stream"
    assert uploads.served_type("application/pdf") == "application/pdf"
    response = uploads.file_response(
        io.BytesIO(HTML), content_type="text/html", filename="a.html", inline=True
    )
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
