"""No file in the repository carries unresolved merge-conflict markers.

A browser silently drops the CSS rules between `<<<<<<<` and `>>>>>>>`, and no other check notices.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Built from parts so that this file does not match itself: the three lines git writes into a conflict.
MARKER = re.compile("^(?:" + "<" * 7 + " |" + ">" * 7 + " |" + "=" * 7 + "$)", re.MULTILINE)


def repository_files() -> list[Path]:
    """Every file git tracks or would add (ignored ones such as .venv/, var/ and node_modules/ left out)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in listing.split("\0") if name and (ROOT / name).is_file()]


def conflict_lines(text: str) -> list[int]:
    return [text.count("\n", 0, match.start()) + 1 for match in MARKER.finditer(text)]


def test_no_file_carries_conflict_markers():
    found = {}
    for path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, compiled .mo files
        if lines := conflict_lines(text):
            found[str(path.relative_to(ROOT))] = lines
    assert found == {}


def test_conflict_marker_check_finds_each_kind_of_marker():
    """The control: a conflict as git writes it is found on each of its three marker lines."""
    conflict = "a {}\n" + "<" * 7 + " HEAD\nb {}\n" + "=" * 7 + "\nc {}\n" + ">" * 7 + " other\n"
    assert conflict_lines(conflict) == [2, 4, 6]
    assert conflict_lines("a {}\n/* " + "=" * 7 + " not a marker */\n" + "=" * 8 + "\n") == []
