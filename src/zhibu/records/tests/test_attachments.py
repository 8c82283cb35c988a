import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.records import services
from zhibu.records.models import Attachment

from .helpers import docx_bytes, jpeg_bytes, png_bytes, record, upload

OLE_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 64
OLE_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 64


@pytest.fixture
def activity(tree):
    return record(tree)


def _add(tree, activity, data, name):
    return services.attachment_add(actor=tree.users.sec_a, activity=activity, upload=upload(data, name))


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (jpeg_bytes(), "image/jpeg"),
        (png_bytes(), "image/png"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n%%EOF\n", "application/pdf"),
        (OLE_WORD, "application/msword"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_types_are_recognised_from_content(tree, activity, data, content_type):
    attachment = _add(tree, activity, data, "材料")  # no extension at all: the content decides
    assert attachment.content_type == content_type
    assert attachment.size == len(data)


def test_webp_is_recognised(tree, activity):
    import io

    from PIL import Image, features

    if not features.check("webp"):
        pytest.skip("Pillow built without WebP")
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "green").save(out, "WEBP")
    assert _add(tree, activity, out.getvalue(), "a.webp").content_type == "image/webp"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"just some text pretending to be a photo", "photo.jpg"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "report.pdf"),
        (OLE_EXCEL, "minutes.doc"),
        (b"PK\x03\x04" + b"\0" * 40, "minutes.docx"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.png"),
    ],
)
def test_disguised_files_are_refused(tree, activity, data, name):
    with pytest.raises(ValidationError) as exc:
        _add(tree, activity, data, name)
    assert exc.value.message_dict["file"][0].startswith(
        "不支持此文件：只能上传照片（JPG、PNG、WebP）、PDF 或 Word 文档"
    )
    assert not Attachment.objects.unscoped().exists()


def test_truncated_image_is_refused(tree, activity):
    with pytest.raises(ValidationError) as exc:
        _add(tree, activity, png_bytes()[:60], "broken.png")
    assert exc.value.message_dict["file"] == ["图片已损坏或无法识别，请重新拍摄或导出后上传。"]
    assert not Attachment.objects.unscoped().exists()


def test_size_limit(tree, activity, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        _add(tree, activity, b"%PDF-" + b"x" * 1100 + b"%%EOF", "big.pdf")
    assert exc.value.message_dict["file"] == ["文件过大：单个附件不能超过 1 KB。"]
    assert _add(tree, activity, b"%PDF-" + b"x" * 1000 + b"%%EOF", "small.pdf").size == 1010


def test_empty_file_is_refused(tree, activity):
    with pytest.raises(ValidationError) as exc:
        _add(tree, activity, b"", "empty.pdf")
    assert exc.value.message_dict["file"] == ["文件是空的。"]


def test_thumbnail_is_made_for_images_only(tree, activity):
    import io

    from PIL import Image

    from zhibu.core import filestore

    photo = _add(tree, activity, png_bytes((1600, 1200)), "合影.png")
    assert photo.thumbnail and default_storage.exists(photo.thumbnail.name)
    with Image.open(io.BytesIO(filestore.load(photo.thumbnail))) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (480, 360)
    pdf = _add(tree, activity, b"%PDF-1.4 test\n%%EOF\n", "纪要.pdf")
    assert not pdf.thumbnail
    assert photo.name == "合影.png" and not photo.file.name.endswith("合影.png")


def test_add_and_delete_are_audited(tree, activity, django_capture_on_commit_callbacks):
    attachment = _add(tree, activity, jpeg_bytes(), "现场.jpg")
    path = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=tree.users.sec_a, attachment=attachment)
    assert not Attachment.objects.unscoped().exists()
    assert not default_storage.exists(path)
    assert list(
        AuditEntry.objects.filter(verb__startswith="attachment.")
        .order_by("id")
        .values_list("verb", "org_path")
    ) == [("attachment.add", tree.a.path), ("attachment.delete", tree.a.path)]


def test_plain_member_cannot_add(tree, activity):
    from zhibu.orgs.scoping import NotVisible

    with pytest.raises(NotVisible):
        services.attachment_add(
            actor=tree.users.member_a, activity=activity, upload=upload(jpeg_bytes(), "a.jpg")
        )
    assert not Attachment.objects.unscoped().exists()


def test_served_only_through_the_scoped_view(tree, activity, login):
    attachment = _add(tree, activity, jpeg_bytes(), "现场.jpg")
    url = reverse("records:attachment", args=[attachment.pk])
    client = login(tree.users.sec_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == jpeg_bytes()
    thumb = client.get(url + "?thumb=1")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    for user in (tree.users.member_a, tree.users.sec_b, tree.users.outsider):
        assert login(user).get(url).status_code == 404
    assert client.get("/media/" + attachment.file.name).status_code == 404


def test_word_is_downloaded_not_shown(tree, activity, login):
    attachment = _add(tree, activity, docx_bytes(), "发言提纲.docx")
    response = login(tree.users.sec_a).get(reverse("records:attachment", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment;")


def test_upload_page_shows_chinese_error_and_saves_nothing(tree, activity, login):
    client = login(tree.users.sec_a)
    fake = upload(b"hello, I am text", "photo.jpg")
    response = client.post(reverse("records:attachment_add", args=[activity.pk]), {"file": fake})
    assert response.status_code == 400
    assert "不支持此文件" in response.content.decode()
    assert not Attachment.objects.unscoped().exists()
    good = upload(png_bytes(), "合影.png")
    response = client.post(reverse("records:attachment_add", args=[activity.pk]), {"file": good})
    assert response.status_code == 302
    assert Attachment.objects.unscoped().get().name == "合影.png"
