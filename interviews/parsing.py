"""Plain-text interviews, as they arrive by mail or in a document, turned into their parts.

The rules (issue #5): the opening paragraphs are the introduction; the greeting line just before the first
question ("Hej Adrian!") is dropped; each paragraph ending in a question mark starts a question, and the
paragraphs after it are its answer; the last paragraph is the closing text.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

# A greeting is a short line ending in "!" (or ","), just before the first question.
GREETING_MAX_LENGTH = 40
_BLANK = re.compile(r"^\s*$")


class InterviewParseError(ValueError):
    pass


@dataclass(frozen=True)
class Pair:
    question: str
    answer: str


@dataclass(frozen=True)
class ParsedInterview:
    introduction: str
    pairs: list[Pair] = field(default_factory=list)
    closing: str = ""
    greeting: str = ""


def _is_greeting(line: str) -> bool:
    return len(line) <= GREETING_MAX_LENGTH and line.endswith(("!", ","))


def _is_question(paragraph: str) -> bool:
    return paragraph.endswith("?")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: runs of lines between blank lines (a line of only spaces is blank).

    A short greeting line at the top of a run ("Hej Adrian!" directly above a question) becomes a
    paragraph of its own.
    """
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # str.strip also removes no-break spaces, which word processors leave on "empty" lines.
        line = raw.strip()
        if _BLANK.match(line):
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    result = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1 and _is_greeting(block[0]):
            result.append(block[0])
            block = block[1:]
        result.append(" ".join(block))
    return result


def parse_interview(text: str) -> ParsedInterview:
    """Split a plain-text interview into introduction, question-and-answer pairs and closing text."""
    parts = paragraphs(text)
    question_indexes = [i for i, paragraph in enumerate(parts) if _is_question(paragraph)]
    if not question_indexes:
        raise InterviewParseError("No question found: no paragraph ends with a question mark.")
    first = question_indexes[0]
    intro_end = first
    greeting = ""
    if first > 0 and _is_greeting(parts[first - 1]):
        greeting = parts[first - 1]
        intro_end = first - 1
    introduction = parts[:intro_end]

    last = question_indexes[-1]
    # The last paragraph closes the interview, unless it is the only answer to the last question.
    closing = ""
    end = len(parts)
    if len(parts) - last > 2:
        closing = parts[-1]
        end = len(parts) - 1

    pairs = []
    bounds = [*question_indexes, end]
    for start, stop in pairwise(bounds):
        pairs.append(Pair(question=parts[start], answer="\n\n".join(parts[start + 1 : stop])))
    return ParsedInterview(
        introduction="\n\n".join(introduction), pairs=pairs, closing=closing, greeting=greeting
    )
