"""Real image files for tests: a photo carrying GPS EXIF, as a camera phone would send it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_TAG = 0x8825


def photo_with_gps(fmt: str = "JPEG", size: tuple[int, int] = (640, 480)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 60))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[GPS_TAG] = {1: "N", 2: (59.0, 19.0, 46.0)}
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif)
    return buffer.getvalue()


def photo_upload(content: bytes | None = None, name: str = "semester.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or photo_with_gps(), content_type="image/jpeg")


def png_upload(size=(900, 700), name="portratt.png") -> SimpleUploadedFile:
    """A PNG upload of `size` pixels (width, height) in one colour."""
    image = Image.new("RGB", size, (120, 40, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
