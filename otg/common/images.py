"""Safe handling of uploaded images, shared by member portraits, event covers and interview portraits.

An upload is recognised by its content (never its name), refused when it is too large or a
decompression bomb, and re-encoded pixel by pixel: what is stored carries no EXIF, no GPS and nothing
appended after the image data. Stored names are random.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_STORED_SIDE = 2000
# Pillow's own limit (about 89 million pixels) warns between 1x and 2x; every step past it is an error here.
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to store, and the means to make squares of it."""

    image: Image.Image
    format: str

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    def _encode(self, image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        if self.format == "JPEG":
            image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
        elif self.format == "WEBP":
            image.save(buffer, "WEBP", quality=85, method=4)
        else:
            image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()

    def random_name(self, suffix: str = "") -> str:
        return f"{uuid.uuid4().hex}{suffix}.{self.extension}"

    def file(self) -> ContentFile:
        return ContentFile(self._encode(self.image), name=self.random_name())

    def square(self, size: int) -> ContentFile:
        thumb = ImageOps.fit(self.image, (size, size), method=Image.Resampling.LANCZOS)
        return ContentFile(self._encode(thumb), name=self.random_name(f"-{size}"))


def clean_image(upload) -> CleanImage:
    """Open an uploaded file and return a clean copy of its pixels, or raise ValidationError."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is too large: the largest allowed is %(limit)s.")
            % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as source:
                image_format = source.format
                if image_format not in FORMATS:
                    raise ValidationError(
                        _("Upload a JPEG, PNG or WebP image."),
                        code="wrong_format",
                    )
                source.load()
                upright = ImageOps.exif_transpose(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The image has too many pixels to be handled safely."), code="bomb"
        ) from error
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("The file is not an image we can read. Upload a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from error
    finally:
        upload.seek(0)
    # A fresh image from the pixels alone: no EXIF, no GPS, no ICC tricks, nothing appended.
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P") and image_format != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    fresh.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    return CleanImage(image=fresh, format=image_format)


def validate_image(upload) -> None:
    """A form-field validator: the same checks as clean_image, without keeping the result."""
    clean_image(upload)
