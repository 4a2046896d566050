"""Hostile text, timed in-process: the worst inputs found for every parser or regex that walks what a
person typed. Each must take at most BUDGET_MS at the longest the forms accept.

Run alone with `python -m tests.bench.inputs`; `make bench` calls ``measure()``.
"""

import json
import string
import sys
import time
from collections.abc import Callable, Iterator

from interviews.readability import lix
from otg.common.markdown import MAX_LENGTH, render_markdown

BUDGET_MS = 100.0
LIX_DOTS = 40_000  # the reported input: 40,000 dots took 27 s
PUNCTUATION = string.punctuation + " \n"


def _fill(unit: str, length: int = MAX_LENGTH) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def markdown_inputs() -> Iterator[tuple[str, str]]:
    """Every run of one or two punctuation characters (what Markdown's rules react to) at the longest
    a field holds, and the shapes that made parsers or the sanitiser slow."""
    for first in PUNCTUATION:
        yield f"run of {first!r}", _fill(first)
        for second in PUNCTUATION:
            yield f"run of {first + second!r}", _fill(first + second)
    shapes = {
        "nested quotes": ">",
        "nested lists": "- ",
        "quotes in lists": "> - ",
        "open links": "[a](",
        "open images": "![",
        "link references": "[a]: b\n",
        "reference uses": "[a]",
        "emphasis mix": "**_",
        "open emphasis": "*a **a ",
        "entities": "&#",
        "autolinks": "<http://",
        "html tags": "<a ",
        "ordered items": "1. ",
        "headings": "# a\n",
        "setext headings": "a\n=\n",
        "indented code": "    a\n",
        "fences": "```\n",
        "prose": "Hej och välkommen till en **text** med [länk](https://example.org). ",
    }
    for name, unit in shapes.items():
        yield name, _fill(unit)
    yield "indented lists", "".join("  " * (i % 40) + "- a\n" for i in range(MAX_LENGTH // 50))


def lix_inputs() -> Iterator[tuple[str, str]]:
    yield f"{LIX_DOTS:,} dots", "." * LIX_DOTS
    yield "dots and spaces", _fill(". ", LIX_DOTS)
    yield "one long word", _fill("a", LIX_DOTS)
    yield "letters and dots", _fill("a.", LIX_DOTS)
    yield "question marks", _fill("?!:", LIX_DOTS)
    yield "prose", _fill("Det här är en mening med några ord. ", LIX_DOTS)


def _time_ms(function: Callable[[str], object], text: str, repeat: int = 5) -> float:
    # The best of five: on a shared machine other work only adds time, never takes it away.
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(text)
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def _worst(function: Callable[[str], object], inputs: Iterator[tuple[str, str]]) -> dict:
    results = [(_time_ms(function, text), name, len(text)) for name, text in inputs]
    ms, name, length = max(results)
    return {"worst_ms": round(ms, 1), "input": name, "chars": length, "inputs": len(results)}


def measure() -> dict:
    """The worst time of each text walker, and the budget failures."""
    report = {
        "markdown": _worst(render_markdown, markdown_inputs()),
        "lix": _worst(lix, lix_inputs()),
    }
    failures = [
        f"{what}: {row['worst_ms']:.0f} ms on {row['input']} ({row['chars']:,} characters; budget {BUDGET_MS:.0f} ms)"
        for what, row in report.items()
        if row["worst_ms"] > BUDGET_MS
    ]
    return {"rows": report, "failures": failures}


def summary(result: dict) -> str:
    return (
        "Hostile text, worst of each (in-process, best of 5 runs per input): "
        + "; ".join(
            f"{what} {row['worst_ms']:.1f} ms on {row['input']} ({row['chars']:,} chars, {row['inputs']} inputs tried)"
            for what, row in result["rows"].items()
        )
        + f" (budget {BUDGET_MS:.0f} ms each)."
    )


if __name__ == "__main__":
    result = measure()
    sys.stdout.write(json.dumps(result, indent=2) + "\n" + summary(result) + "\n")
    sys.exit(1 if result["failures"] else 0)
