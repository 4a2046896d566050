"""The test run itself: a missing browser in CI says so plainly, also under pytest-xdist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TEST = "tests/browser/test_layout.py"


def test_ci_without_chromium_prints_the_install_message_not_an_internal_error(tmp_path):
    """Point 22: with CI=true and no Chromium, `make test` (xdist) ended in an INTERNALERROR traceback."""
    env = {**os.environ, "CI": "true", "CHROMIUM_PATH": "/nonexistent/chromium"}
    result = subprocess.run(
        # Its own basetemp: the run's default folder belongs to this run.
        [sys.executable, "-m", "pytest", "-n", "2", "--basetemp", str(tmp_path / "run"), BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "INTERNALERROR" not in output
    assert "Browser tests did NOT run: no Chromium at /nonexistent/chromium" in output
    assert "sudo apt-get install -y chromium" in output
