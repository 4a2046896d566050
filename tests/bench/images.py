"""The upload budget: the worst accepted image in ≤ 2 s and ≤ 300 MB, a refused one in ≤ 100 ms.

Each upload is cleaned in a fresh process (clean_image, then the stored file and both squares, as a
portrait is stored), so its peak memory is its own: VmHWM of that process, Python and Django
included. Seconds are wall-clock time (the budget); CPU seconds are given beside them, since a
shared machine under load stretches the first but not the second. The worst cases sit at each limit: the most pixels each format may have, in content that
decodes slowest, and within the 5 MB upload limit. They are made once under var/bench/images/.

Run alone: .venv/bin/python -m tests.bench.images
"""

import io
import json
import subprocess
import sys
import time

from tests.bench.server import BIN, ROOT

OUT = ROOT / "var" / "bench" / "images"
BUDGET = {"accepted_s": 2.0, "accepted_mb": 300, "refused_s": 0.1}


def _noise(size, sigma=64, mode="RGB"):
    from PIL import Image

    # Noise: detail that compresses badly and decodes slowly, as a sharp photo does.
    tile = Image.effect_noise((512, 512), sigma).convert(mode if mode != "RGBA" else "RGB")
    image = Image.new(tile.mode, size)
    for x in range(0, size[0], 512):
        for y in range(0, size[1], 512):
            image.paste(tile, (x, y))
    return image if mode != "RGBA" else image.convert("RGBA")


def _cases() -> dict[str, tuple[str, object]]:
    """name: ("accepted" or "refused", a function that returns the file's bytes)."""
    from PIL import Image

    from otg.common.images import MAX_PIXELS, MAX_PIXELS_FULL_DECODE, MAX_UPLOAD_BYTES, PIXEL_LIMITS

    def save(image, fmt, **options):
        buffer = io.BytesIO()
        image.save(buffer, fmt, **options)
        return buffer.getvalue()

    def within_limit(make, tries=((64, 80), (32, 80), (16, 80), (16, 60), (8, 60), (4, 60), (2, 40))):
        """The most detailed version of the picture (noise, quality) that still fits the upload limit."""
        for sigma, quality in tries:
            content = make(sigma, quality)
            if len(content) <= MAX_UPLOAD_BYTES:
                return content
        raise RuntimeError("no version fits the upload limit")

    import pillow_heif  # noqa: F401 (the HEIF opener and writer)

    full = int(MAX_PIXELS_FULL_DECODE**0.5)
    webp = int(PIXEL_LIMITS["WEBP"] ** 0.5)
    jpeg_side = (int((MAX_PIXELS * 4 / 3) ** 0.5), int((MAX_PIXELS * 3 / 4) ** 0.5))
    heic_side = (5712, 4284)  # a 24 MP iPhone photo
    return {
        f"JPEG {jpeg_side[0]}x{jpeg_side[1]} (the pixel limit)": (
            "accepted",
            lambda: within_limit(lambda sigma, q: save(_noise(jpeg_side, sigma), "JPEG", quality=q)),
        ),
        f"HEIC {heic_side[0]}x{heic_side[1]} (24 MP iPhone)": (
            "accepted",
            # x265's fastest preset: encoding is slow, and decoding cost depends on the size and detail.
            lambda: within_limit(
                lambda sigma, q: save(
                    _noise(heic_side, sigma), "HEIF", quality=q, enc_params={"preset": "ultrafast"}
                ),
                tries=((8, 50), (4, 50), (2, 40)),
            ),
        ),
        f"PNG RGBA {full}x{full}": (
            "accepted",
            lambda: save(Image.new("RGBA", (full, full), (9, 99, 199, 99)), "PNG"),
        ),
        f"PNG palette {full}x{full}": ("accepted", lambda: save(Image.new("P", (full, full), 7), "PNG")),
        f"PNG 16-bit grey {full}x{full}": (
            "accepted",
            lambda: save(Image.new("I;16", (full, full), 30000), "PNG"),
        ),
        f"WebP RGBA {webp}x{webp}": (
            "accepted",
            lambda: save(Image.new("RGBA", (webp, webp), (9, 99, 199, 99)), "WEBP", lossless=True),
        ),
        "PNG RGBA 9400x9400 (a 343 KB file)": (
            "refused",
            lambda: save(Image.new("RGBA", (9400, 9400), (9, 99, 199, 99)), "PNG"),
        ),
        "PNG 1-bit 20000x20000 (a decompression bomb)": (
            "refused",
            lambda: save(Image.new("1", (20000, 20000)), "PNG"),
        ),
        "GIF": ("refused", lambda: save(Image.new("RGB", (640, 480)), "GIF")),
    }


def _measure_one(path: str) -> None:
    """In the child process: clean one upload as a portrait is stored, print what it cost."""
    import os
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from otg.common.images import clean_image

    with open(path, "rb") as file:
        upload = SimpleUploadedFile("upload", file.read())
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    try:
        image = clean_image(upload)
        image.file(), image.square(400), image.square(96)
        outcome = "accepted"
    except ValidationError as error:
        outcome = f"refused ({error.code})"
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(
        json.dumps(
            {"outcome": outcome, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": after.ru_maxrss / 1024}
        )
    )


def measure_uploads() -> dict:
    """Make the cases once, measure each in its own process; returns rows and missed budgets."""
    OUT.mkdir(parents=True, exist_ok=True)
    cases = _cases()
    if any(not (OUT / f"case-{n}.bin").exists() for n in range(len(cases))):
        # Made in a process of its own: the measuring processes must not start from its memory.
        subprocess.run([str(BIN / "python"), "-m", "tests.bench.images", "--make"], cwd=ROOT, check=True)
    rows, failures = [], []
    for n, (name, (expected, _make)) in enumerate(cases.items()):
        path = OUT / f"case-{n}.bin"
        result = subprocess.run(
            [str(BIN / "python"), "-m", "tests.bench.images", "--one", str(path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        row = {"case": name, "expected": expected, "bytes": path.stat().st_size}
        row |= json.loads(result.stdout.strip().splitlines()[-1])
        rows.append(row)
        if not row["outcome"].startswith(expected):
            failures.append(f"upload {name}: {row['outcome']}, expected {expected}")
        elif expected == "accepted":
            if row["seconds"] > BUDGET["accepted_s"]:
                failures.append(f"upload {name}: {row['seconds']:.2f} s (budget 2 s)")
            if row["peak_mb"] > BUDGET["accepted_mb"]:
                failures.append(f"upload {name}: {row['peak_mb']:.0f} MB peak (budget 300 MB)")
        elif row["seconds"] > BUDGET["refused_s"]:
            failures.append(f"upload {name}: refused in {row['seconds'] * 1000:.0f} ms (budget 100 ms)")
    return {"rows": rows, "failures": failures}


def markdown(result: dict) -> str:
    lines = [
        "Uploads (each in its own process; peak memory is the whole process's, Python and Django included):",
        "",
        "| Upload | KB | Outcome | s | CPU s | peak MB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['case']} | {row['bytes'] / 1024:.0f} | {row['outcome']} | {row['seconds']:.2f} "
            f"| {row['cpu_seconds']:.2f} | {row['peak_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _measure_one(sys.argv[2])
        sys.exit(0)
    if sys.argv[1:] == ["--make"]:
        OUT.mkdir(parents=True, exist_ok=True)
        for n, (_name, (_expected, make)) in enumerate(_cases().items()):
            if not (OUT / f"case-{n}.bin").exists():
                (OUT / f"case-{n}.bin").write_bytes(make())
        sys.exit(0)
    result = measure_uploads()
    sys.stdout.write(markdown(result))
    sys.stdout.write("Budgets missed: " + ("; ".join(result["failures"]) or "none.") + "\n")
    sys.exit(1 if result["failures"] else 0)
