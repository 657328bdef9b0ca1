"""Photos: only real JPEG, PNG and WebP images of sane size are accepted; a
stored photo gets a generated name and a JPEG thumbnail."""

import io
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from common import files
from common.files import MAX_PHOTO_BYTES, inspect_photo, validate_photo
from delegations.models import Delegation, DelegationPhoto


@pytest.fixture(autouse=True)
def _english_messages():
    # These tests read the English source messages; the Vietnamese ones are checked in test_translation.
    with translation.override("en"):
        yield


def image_bytes(fmt, size=(64, 48), mode="RGB", **save_options):
    buffer = io.BytesIO()
    colour = (200, 30, 30) if mode == "RGB" else 0
    Image.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content)


def refusal(content, name="photo.jpg"):
    """The ValidationError that validate_photo raises for this upload."""
    with pytest.raises(ValidationError) as caught:
        validate_photo(upload(content, name))
    return caught.value


@contextmanager
def pixels_must_not_be_decoded():
    """Any decoding of pixel data inside the block fails the test."""

    def refuse_to_decode(self, *args, **kwargs):
        raise AssertionError("the pixels were decoded")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image.Image, "load", refuse_to_decode)
        patch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
        yield


# What is accepted


@pytest.mark.parametrize(("fmt", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP")])
def test_small_jpeg_png_and_webp_are_accepted(fmt, expected):
    assert inspect_photo(upload(image_bytes(fmt))) == expected


def test_camera_multi_picture_jpeg_is_accepted_as_a_jpeg():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (32, 32), "red"), Image.new("RGB", (32, 32), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    assert inspect_photo(upload(buffer.getvalue())) == "JPEG"


def test_the_file_is_rewound_after_inspection():
    photo = upload(image_bytes("PNG"))
    inspect_photo(photo)
    assert photo.tell() == 0


# What is refused, and with which message


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "photo.gif"), ("BMP", "photo.bmp"), ("TIFF", "photo.tif")])
def test_other_image_formats_are_refused(fmt, name):
    error = refusal(image_bytes(fmt), name)
    assert error.code == "photo_invalid"
    assert "JPEG, PNG or WebP" in error.messages[0]


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    assert refusal(svg, "photo.svg").code == "photo_invalid"


def test_text_file_named_like_a_jpeg_is_refused():
    assert refusal(b"This is not a photo, only its name says so.\n", "photo.jpg").code == "photo_invalid"


def test_truncated_jpeg_is_refused_as_damaged():
    whole = image_bytes("JPEG", size=(400, 300), quality=95)
    error = refusal(whole[: len(whole) // 2])
    assert error.code == "photo_damaged"
    assert "damaged or incomplete" in error.messages[0]


def test_png_with_an_html_tail_is_refused():
    tail = b"<html><script>alert(document.cookie)</script></html>"
    error = refusal(image_bytes("PNG") + tail, "photo.png")
    assert error.code == "photo_trailing_data"
    assert "extra data after its end" in error.messages[0]


def test_png_with_a_corrupted_chunk_is_refused_as_damaged():
    png = bytearray(image_bytes("PNG", size=(200, 200)))
    idat = png.index(b"IDAT")
    png[idat + 10] ^= 0xFF  # the CRC no longer matches
    assert refusal(bytes(png), "photo.png").code == "photo_damaged"


def test_photo_over_10_mb_is_refused_before_it_is_opened():
    jpeg = image_bytes("JPEG")
    too_big = jpeg + b"\0" * (MAX_PHOTO_BYTES + 1 - len(jpeg))
    with pixels_must_not_be_decoded():
        error = refusal(too_big)
    assert error.code == "photo_too_large"
    assert "larger than 10 MB" in error.messages[0]


def test_photo_of_exactly_10_mb_is_not_refused_for_its_size():
    jpeg = image_bytes("JPEG")
    exactly = jpeg + b"\0" * (MAX_PHOTO_BYTES - len(jpeg))
    assert inspect_photo(upload(exactly)) == "JPEG"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow warns past 89 megapixels
def test_decompression_bomb_is_refused_without_decoding_its_pixels():
    bomb = image_bytes("PNG", size=(10_000, 10_000), mode="1")
    assert len(bomb) < 20_000  # 100 megapixels in a few KB

    started = time.monotonic()
    with pixels_must_not_be_decoded():
        error = refusal(bomb, "photo.png")
    assert time.monotonic() - started < 1
    assert error.code == "photo_too_many_pixels"
    assert "more than 40 megapixels" in error.messages[0]


def test_very_large_bomb_that_pillow_itself_refuses_gets_the_same_message():
    bomb = image_bytes("PNG", size=(20_000, 10_000), mode="1")  # past Pillow's own error threshold
    with pixels_must_not_be_decoded():
        error = refusal(bomb, "photo.png")
    assert error.code == "photo_too_many_pixels"
    assert "more than 40 megapixels" in error.messages[0]


def test_photo_of_exactly_40_megapixels_is_accepted():
    assert inspect_photo(upload(image_bytes("PNG", size=(8000, 5000), mode="1"), "photo.png")) == "PNG"


def test_photo_one_column_over_40_megapixels_is_refused_without_decoding():
    just_over = image_bytes("PNG", size=(8001, 5000), mode="1")
    with pixels_must_not_be_decoded():
        error = refusal(just_over, "photo.png")
    assert error.code == "photo_too_many_pixels"
    assert "8001×5000" in error.messages[0]


def test_the_pixel_limit_is_read_from_the_module(monkeypatch):
    monkeypatch.setattr(files, "MAX_PHOTO_PIXELS", 64 * 48 - 1)
    assert refusal(image_bytes("JPEG")).code == "photo_too_many_pixels"


# Storing a photo through a form


class PhotoForm(forms.ModelForm):
    class Meta:
        model = DelegationPhoto
        fields = ["delegation", "image", "caption"]


@pytest.fixture
def delegation(db):
    return Delegation.objects.create(title="Đoàn công tác tỉnh Quảng Tây", direction="in")


def submit_photo(delegation, content, name):
    form = PhotoForm(
        data={"delegation": delegation.pk, "caption": "Hội đàm"},
        files={"image": SimpleUploadedFile(name, content)},
    )
    return form


def test_saved_photo_gets_a_generated_name_with_the_extension_of_its_real_format(delegation, settings):
    form = submit_photo(delegation, image_bytes("PNG", size=(1200, 900)), "../../settings.py.jpg")
    assert form.is_valid(), form.errors
    photo = form.save()

    stored = Path(photo.image.path).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert stored.is_relative_to(media / "photos")
    assert stored.is_file()
    assert stored.suffix == ".png"  # what Pillow found, not the uploaded ".jpg"
    assert len(stored.stem) == 32 and int(stored.stem, 16) >= 0  # a uuid4 in hex
    assert "settings" not in photo.image.name


def test_saved_photo_gets_a_jpeg_thumbnail_no_larger_than_480_by_360(delegation, settings):
    form = submit_photo(delegation, image_bytes("WEBP", size=(1600, 1000)), "hoi-dam.webp")
    assert form.is_valid(), form.errors
    photo = DelegationPhoto.objects.get(pk=form.save().pk)

    assert photo.image.name.endswith(".webp")
    thumbnail = Path(photo.thumbnail.path).resolve()
    assert thumbnail.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "photos" / "thumbs")
    with Image.open(thumbnail) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.width <= 480 and thumb.height <= 360
        assert thumb.size == (480, 300)  # the aspect ratio is kept


def test_transparent_png_gets_a_jpeg_thumbnail(delegation):
    form = submit_photo(delegation, image_bytes("PNG", size=(600, 600), mode="RGBA"), "logo.png")
    assert form.is_valid(), form.errors
    photo = form.save()
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (360, 360)


# Django's forms.ImageField opens the upload first, and Pillow warns about its size.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_form_refuses_a_decompression_bomb_and_stores_nothing(delegation, settings):
    bomb = image_bytes("PNG", size=(10_000, 10_000), mode="1")
    form = submit_photo(delegation, bomb, "photo.png")

    assert not form.is_valid()
    assert "more than 40 megapixels" in " ".join(form.errors["image"])
    assert DelegationPhoto.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "photos").exists()


def test_form_refuses_a_png_with_an_html_tail(delegation):
    form = submit_photo(delegation, image_bytes("PNG") + b"<html></html>", "photo.png")
    assert not form.is_valid()
    assert "extra data after its end" in " ".join(form.errors["image"])
    assert DelegationPhoto.objects.count() == 0
