"""Drive a URL with wrk from another process and read its numbers."""

import json
import shutil
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("report.lua")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, *, connections: int, seconds: int, threads: int = 1) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"--threads={min(threads, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={LUA}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    numbers = json.loads(line)
    seconds_taken = numbers["duration_us"] / 1_000_000
    return {
        "rps": numbers["requests"] / seconds_taken,
        "p50_ms": numbers["p50_us"] / 1000,
        "p95_ms": numbers["p95_us"] / 1000,
        "errors": numbers["errors"] + numbers["non2xx"],
        "requests": numbers["requests"],
    }
