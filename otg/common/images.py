"""Safe handling of uploaded images, shared by member portraits, event covers and interview portraits.

An upload is recognised by its content (never its name), refused when it is too large or a
decompression bomb, and re-encoded pixel by pixel: what is stored carries no EXIF, no GPS and nothing
appended after the image data. Stored names are random.
"""

import contextlib
import io
import uuid
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageOps

# HEIC (and HEIF) from iPhones, read by libheif through pillow-heif. It turns the image upright itself.
pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_STORED_SIDE = 2000
# Checked from the header, before a pixel is decoded, per format: sized for portraits and covers (stored
# at most MAX_STORED_SIDE a side) and so that the worst accepted upload stays within its budget of 2 s and
# 300 MB (tests/bench/images.py). A JPEG is decoded scaled down by its own decoder, so 50 million pixels
# admit the largest photo a current phone saves (48 MP, 8064 x 6048). PNG and HEIC are decoded whole:
# 25 million admit a 24 MP iPhone photo (5712 x 4284) and a 5K screenshot. Pillow's WebP and AVIF
# decoders hold several copies of the pixels at once (about 19 bytes a pixel): 10 million for those.
MAX_PIXELS = 50_000_000
MAX_PIXELS_FULL_DECODE = 25_000_000
PIXEL_LIMITS = {
    "JPEG": MAX_PIXELS,
    "MPO": MAX_PIXELS,
    "PNG": MAX_PIXELS_FULL_DECODE,
    "HEIF": MAX_PIXELS_FULL_DECODE,
    "WEBP": 10_000_000,
    "AVIF": 10_000_000,
}
# What is stored, by what was uploaded: photos as JPEG (or PNG when they have transparency), PNG and
# WebP as themselves. Browsers cannot all show HEIC or AVIF; a phone's MPO is a JPEG with extra frames.
STORED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "AVIF": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# The file chooser's hint (an iPhone converts HEIC to JPEG itself when HEIC is not listed).
ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif"
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_CACHE = "_otg_clean_image"


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


def _refuse_format() -> ValidationError:
    return ValidationError(
        _("Upload a photo as JPEG, HEIC, PNG or WebP. This file is in another format."),
        code="wrong_format",
    )


def _refuse_pixels(limit: int = MAX_PIXELS_FULL_DECODE) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (at most %(limit)s million). Make it smaller and upload it again.")
        % {"limit": limit // 1_000_000},
        code="bomb",
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale (widened to I by _working_mode) as 8-bit: scaled, not cut off at 255 (white)."""
    if image.mode == "I":
        return image.point(lambda value: value * (255 / 65535)).convert("L")
    return image


def _to_srgb(image: Image.Image, icc: bytes | None, alpha: bool) -> Image.Image:
    """RGB, or RGBA with transparency, in sRGB: through the embedded colour profile where there is one."""
    mode = "RGBA" if alpha else "RGB"
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert(mode)
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, profile, SRGB, outputMode=out)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or unusual profile: take the pixels as sRGB, as browsers do
    return image.convert(mode)


def _working_mode(image: Image.Image) -> str:
    """The mode an image is resampled in: full colour for palettes, 32 bits for 16-bit greyscale."""
    if image.mode in ("1", "P", "PA"):  # these resize only nearest-neighbour
        return "RGBA" if _has_alpha(image) else "RGB"
    if image.mode.startswith("I;16"):
        return "I"
    return image.mode


def _reduced(image: Image.Image) -> Image.Image:
    """A new image no larger than MAX_STORED_SIDE on either side, made without a second full-size copy.

    A large image is first shrunk by a whole factor in strips of rows (a box filter, exact across the
    strips), each strip converted and premultiplied on its own; Lanczos then works on the small result.
    """
    mode = _working_mode(image)
    width, height = image.size
    scale = min(1.0, MAX_STORED_SIDE / width, MAX_STORED_SIDE / height)
    factor = int(1 / scale)  # the box filter takes the whole steps; Lanczos the rest (less than 2x)
    original = image
    if factor >= 2:
        image = Image.new(mode, (-(-width // factor), -(-height // factor)))
        rows = factor * max(1, 512 // factor)
        for top in range(0, height, rows):
            strip = original.crop((0, top, width, min(height, top + rows)))
            image.paste(strip.convert(mode).reduce(factor), (0, top // factor))
    elif original.mode != mode:
        image = original.convert(mode)
    if scale < 1.0:
        return image.resize(
            (max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.LANCZOS
        )
    return original.copy() if image is original else image


def clean_image(upload) -> CleanImage:
    """Open an uploaded file and return a clean copy of its pixels, or raise ValidationError.

    The upload is decoded once, at most at the size stored: the header is read first (format and
    pixel count refused there), a JPEG is decoded scaled down by its own decoder (Image.draft), and
    every conversion works on the reduced image. The result is kept on the upload object, so a form
    that validates the upload and the service that stores it decode it once between them.
    """
    cached = getattr(upload, _CACHE, None)
    if cached is not None:
        return cached
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
                if image_format not in STORED_AS:
                    raise _refuse_format()
                width, height = source.size
                limit = PIXEL_LIMITS[image_format]
                if width * height > limit:
                    raise _refuse_pixels(limit)
                icc = source.info.get("icc_profile")
                orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
                if image_format in ("JPEG", "MPO"):
                    # The decoder scales by 1/2, 1/4 or 1/8 on its own, to no less than the stored size.
                    source.draft(None, (MAX_STORED_SIDE, MAX_STORED_SIDE))
                source.load()
                alpha = _has_alpha(source)
                image = _eight_bit(_reduced(source))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse_pixels() from error
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            _("The file is not an image we can read. Upload a photo as JPEG, HEIC, PNG or WebP."),
            code="not_an_image",
        ) from error
    finally:
        upload.seek(0)
    image = _to_srgb(image, icc, alpha)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    stored_as = STORED_AS[image_format]
    if alpha and stored_as == "JPEG":
        stored_as = "PNG"  # a photo with transparency keeps it
    mode = "RGBA" if alpha else "RGB"
    # A fresh image from the pixels alone: no EXIF, no GPS, no profile, nothing appended.
    fresh = Image.new(mode, image.size)
    fresh.paste(image.convert(mode))
    clean = CleanImage(image=fresh, format=stored_as)
    with contextlib.suppress(AttributeError):  # an object that takes no attributes is decoded again
        setattr(upload, _CACHE, clean)
    return clean


def validate_image(upload) -> None:
    """A form-field validator: the same checks as clean_image (whose result the upload keeps)."""
    clean_image(upload)
