"""Every image a phone or camera saves is stored looking as it did.

A corpus of small generated images, one per kind: each is cleaned as an upload would be, and the
colours of the stored file are compared with the colours that were meant. What cannot be stored is
refused with a message that says what to do, before any pixel is decoded when it is too large.
"""

import io
import struct
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from otg.common.images import MAX_PIXELS_FULL_DECODE, clean_image

RED, GREEN, BLUE, GREY = (220, 30, 40), (30, 180, 60), (20, 40, 210), (117, 117, 117)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def stored(content: bytes) -> Image.Image:
    """What the portal stores for this upload, decoded again as a browser would."""
    clean = clean_image(SimpleUploadedFile("upload", content))
    result = Image.open(clean.file())
    result.load()
    return result


def halves(mode: str, left, right, size=(64, 32)) -> Image.Image:
    image = Image.new(mode, size, left)
    image.paste(Image.new(mode, (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def assert_colour(image: Image.Image, xy, expected, tolerance=12) -> None:
    actual = image.convert("RGBA").getpixel(xy)
    expected = tuple(expected) + ((255,) if len(expected) == 3 else ())
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), (actual, expected)


def icc_with_red_and_green_swapped() -> bytes:
    """A matrix/TRC RGB profile (ICC v2) whose red primary is sRGB's green and green is sRGB's red.

    A pixel (255, 0, 0) tagged with it means green: a stored copy that ignores the profile shows red.
    """

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"swapped"
    desc = (
        b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0" + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    )
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"  # gamma 2.2
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0none\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    size = 128 + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + body


def heif(image: Image.Image) -> bytes:
    import pillow_heif  # noqa: F401 (registered by otg.common.images)

    return encode(image, "HEIF", quality=95)


# name: (content, [(point, colour meant)], format stored)
CORPUS = {
    "JPEG": (lambda: encode(halves("RGB", RED, BLUE), "JPEG", quality=95), "JPEG"),
    "MPO from a phone (two frames)": (
        lambda: encode(
            halves("RGB", RED, BLUE),
            "MPO",
            save_all=True,
            append_images=[Image.new("RGB", (64, 32), "white")],
        ),
        "JPEG",
    ),
    "HEIC from an iPhone": (lambda: heif(halves("RGB", RED, BLUE)), "JPEG"),
    "AVIF": (lambda: encode(halves("RGB", RED, BLUE), "AVIF", quality=95), "JPEG"),
    "WebP": (lambda: encode(halves("RGB", RED, BLUE), "WEBP", quality=95), "WEBP"),
    "PNG": (lambda: encode(halves("RGB", RED, BLUE), "PNG"), "PNG"),
    "palette PNG": (lambda: encode(halves("RGB", RED, BLUE).quantize(4), "PNG"), "PNG"),
    "CMYK JPEG": (
        lambda: encode(halves("CMYK", (0, 220, 200, 35), (200, 160, 0, 45)), "JPEG", quality=100),
        "JPEG",
    ),
    "16-bit RGB PNG": (lambda: encode(halves("RGB", RED, BLUE), "PNG"), "PNG"),
    "1-bit PNG": (lambda: encode(halves("1", 0, 1), "PNG"), "PNG"),
}
MEANT = {
    # Without a profile, as browsers show it: Pillow's plain conversion of the colours meant.
    "CMYK JPEG": [
        ((8, 16), Image.new("CMYK", (1, 1), (0, 220, 200, 35)).convert("RGB").getpixel((0, 0))),
        ((56, 16), Image.new("CMYK", (1, 1), (200, 160, 0, 45)).convert("RGB").getpixel((0, 0))),
    ],
    "1-bit PNG": [((8, 16), (0, 0, 0)), ((56, 16), (255, 255, 255))],
}


@pytest.mark.parametrize("name", CORPUS)
def test_each_kind_of_image_is_stored_looking_as_it_did(name):
    make, fmt = CORPUS[name]
    result = stored(make())
    assert result.format == fmt
    for point, colour in MEANT.get(name, [((8, 16), RED), ((56, 16), BLUE)]):
        assert_colour(result, point, colour, tolerance=14)


def test_a_16_bit_greyscale_png_keeps_its_grey():
    original = Image.new("I;16", (40, 30), 30000)  # 30000 of 65535: a middle grey
    result = stored(encode(original, "PNG"))
    assert_colour(result, (20, 15), GREY, tolerance=2)


def test_a_16_bit_greyscale_png_keeps_its_gradient():
    original = Image.linear_gradient("L").resize((64, 64)).convert("I").point(lambda v: v * 257)
    original = original.convert("I;16")
    result = stored(encode(original, "PNG")).convert("L")
    assert result.getpixel((5, 2)) < 20
    assert result.getpixel((5, 61)) > 235


@pytest.mark.parametrize(
    "name, content",
    [
        ("RGBA PNG", lambda: encode(halves("RGBA", (*RED, 255), (*BLUE, 0)), "PNG")),
        (
            "palette PNG with a transparent colour",
            lambda: encode(halves("RGBA", (*RED, 255), (*BLUE, 0)).quantize(4), "PNG"),
        ),
        ("greyscale with alpha", lambda: encode(halves("LA", (200, 255), (50, 0)), "PNG")),
        ("WebP with alpha", lambda: encode(halves("RGBA", (*RED, 255), (*BLUE, 0)), "WEBP", lossless=True)),
        ("HEIC with alpha", lambda: heif(halves("RGBA", (*RED, 255), (*BLUE, 0)))),
    ],
)
def test_transparency_is_kept(name, content):
    result = stored(content())
    assert result.mode == "RGBA"
    assert result.convert("RGBA").getpixel((56, 16))[3] == 0
    assert result.convert("RGBA").getpixel((8, 16))[3] == 255


def test_a_colour_profile_is_converted_to_srgb():
    profile = icc_with_red_and_green_swapped()
    image = halves("RGB", (255, 0, 0), (0, 0, 255))
    for fmt in ("JPEG", "PNG"):
        result = stored(encode(image, fmt, icc_profile=profile, **({"quality": 95} if fmt == "JPEG" else {})))
        assert_colour(result, (8, 16), (0, 255, 0), tolerance=20)  # meant green, though its numbers say red
        assert_colour(result, (56, 16), (0, 0, 255), tolerance=20)
        assert "icc_profile" not in result.info  # stored as plain sRGB


def test_a_rotated_phone_photo_is_stored_upright():
    image = halves("RGB", RED, BLUE, size=(64, 32))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    result = stored(encode(image, "JPEG", quality=95, exif=exif))
    assert result.size == (32, 64)
    assert_colour(result, (16, 8), RED, tolerance=14)
    assert_colour(result, (16, 56), BLUE, tolerance=14)


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "BMP"])
def test_other_formats_are_refused_with_a_message_that_says_what_to_upload(fmt):
    with pytest.raises(ValidationError) as error:
        stored(encode(Image.new("RGB", (10, 10)), fmt))
    assert error.value.code == "wrong_format"
    assert "JPEG, HEIC, PNG eller WebP" in error.value.messages[0]


def test_too_many_pixels_are_refused_from_the_header_before_decoding():
    # A 343 KB PNG of 9,400 x 9,400 pixels: 26 s and 1.9 GB before; refused at once now.
    content = encode(Image.new("RGBA", (9400, 9400)), "PNG")
    started = time.perf_counter()
    with pytest.raises(ValidationError) as error:
        stored(content)
    assert time.perf_counter() - started < 0.5
    assert error.value.code == "bomb"
    assert f"högst {MAX_PIXELS_FULL_DECODE // 1_000_000} miljoner" in error.value.messages[0]


MODES = {
    "RGB": lambda c: c,
    "RGBA": lambda c: (*c, 255),
    "L": lambda c: round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]),
    "P": lambda c: c,
    "CMYK": lambda c: (255 - c[0], 255 - c[1], 255 - c[2], 0),
    "I;16": lambda c: round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) * 257,
}
FORMATS_FOR = {
    "RGB": ["JPEG", "PNG", "WEBP", "HEIF", "AVIF"],
    "RGBA": ["PNG", "WEBP", "HEIF"],
    "L": ["JPEG", "PNG", "WEBP"],
    "P": ["PNG", "WEBP"],
    "CMYK": ["JPEG"],
    "I;16": ["PNG"],
}


@st.composite
def uploads(draw):
    mode = draw(st.sampled_from(sorted(MODES)))
    fmt = draw(st.sampled_from(FORMATS_FOR[mode]))
    colour = draw(st.tuples(*[st.integers(0, 255)] * 3))
    size = draw(st.tuples(st.integers(8, 120), st.integers(8, 120)))
    if mode == "P":
        image = Image.new("RGB", size, colour).quantize(8)
    else:
        image = Image.new(mode, size, MODES[mode](colour))
    expected = colour if mode not in ("L", "I;16") else (MODES["L"](colour),) * 3
    options = {"quality": 95} if fmt in ("JPEG", "WEBP", "AVIF", "HEIF") else {}
    content = heif(image) if fmt == "HEIF" else encode(image, fmt, **options)
    return content, expected, size


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uploads())
def test_any_plain_colour_in_any_accepted_mode_and_format_keeps_its_colour(upload):
    content, expected, size = upload
    result = stored(content)
    assert result.size == size
    # Lossy formats store colours in YCbCr with subsampled chroma: allow what that costs.
    assert_colour(result, (size[0] // 2, size[1] // 2), expected, tolerance=16)
