import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from otg.common.images import MAX_UPLOAD_BYTES, clean_image
from tests.helpers.photos import GPS_TAG, photo_with_gps


def upload(content: bytes, name: str = "bild.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_image_strips_exif_and_gps(fmt):
    content = photo_with_gps(fmt)
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif().get(GPS_TAG) is not None
    stored = clean_image(upload(content, "whatever.bin")).file()
    with Image.open(stored) as result:
        assert result.format == fmt
        assert dict(result.getexif()) == {}
        assert result.size == (640, 480)


def test_clean_image_recognises_by_content_not_name():
    stored = clean_image(upload(photo_with_gps("PNG"), "foto.jpg")).file()
    assert stored.name.endswith(".png")
    assert len(stored.name) == len("0123456789abcdef0123456789abcdef.png")


def test_clean_image_drops_a_script_appended_to_a_png():
    content = photo_with_gps("PNG") + b"<script>alert(1)</script>"
    stored = clean_image(upload(content, "x.png")).file()
    assert b"<script>" not in stored.read()


def test_clean_image_refuses_a_text_file_named_png():
    with pytest.raises(ValidationError) as error:
        clean_image(upload(b"hello, not an image", "x.png"))
    assert error.value.code == "not_an_image"


def test_clean_image_refuses_a_gif():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as error:
        clean_image(upload(buffer.getvalue(), "x.gif"))
    assert error.value.code == "wrong_format"


def test_clean_image_refuses_a_decompression_bomb():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValidationError) as error:
        clean_image(upload(buffer.getvalue(), "bomb.png"))
    assert error.value.code == "bomb"


def test_clean_image_refuses_between_one_and_two_times_the_pixel_limit():
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000)).save(buffer, "PNG")  # 100 million pixels: Pillow only warns
    with pytest.raises(ValidationError) as error:
        clean_image(upload(buffer.getvalue(), "bomb.png"))
    assert error.value.code == "bomb"


def test_clean_image_refuses_a_file_over_five_megabytes_with_a_swedish_message():
    with pytest.raises(ValidationError) as error:
        clean_image(upload(b"\0" * (MAX_UPLOAD_BYTES + 1)))
    assert error.value.code == "too_large"
    assert "största tillåtna" in str(error.value.messages[0])


def test_square_makes_an_exact_square():
    square = clean_image(upload(photo_with_gps())).square(96)
    with Image.open(square) as result:
        assert result.size == (96, 96)


def test_an_upload_is_decoded_once_between_the_form_and_the_service():
    content = upload(photo_with_gps())
    first = clean_image(content)  # the form's validator
    assert clean_image(content) is first  # the service that stores it
