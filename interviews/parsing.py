"""Plain-text interviews, as they arrive by mail or in a document, turned into their parts.

The rules: the opening paragraphs are the introduction; the greeting line just before the first
question ("Hej Adrian!") is dropped; each paragraph ending in a question mark starts a question, and the
paragraphs after it are its answer; the last paragraph is the closing text.

When the text marks its questions in another way, that way wins: a paragraph in bold
("**Vad gör du?**", as a .docx with bold questions arrives), or one that starts with a label such as
"Fråga:", "F:" or "Q:". Then only marked paragraphs start questions, and an answer paragraph that ends in a
question mark stays in its answer; the editor is shown which ones before anything is saved.

Every step is linear in the length of the text (no regular expression here can backtrack).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils.translation import gettext_lazy as _

# A greeting is a short line ending in "!" (or ","), just before the first question.
GREETING_MAX_LENGTH = 40
_BLANK = re.compile(r"^\s*$")
# "Fråga:", "Fråga 3:", "F:", "Q:", "Question:" at the start of a paragraph marks a question.
_QUESTION_LABEL = re.compile(r"^(?:fråga|f|q|question)(?: ?\d{1,3})? ?: *", re.IGNORECASE)
# "Svar:", "S:", "A:", "Answer:" at the start of an answer is dropped with the question labels.
_ANSWER_LABEL = re.compile(r"^(?:svar|s|a|answer) ?: *", re.IGNORECASE)
# C0 control characters but tab and newline; Word's vertical tab (a soft line break) is a newline.
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]")


class InterviewParseError(ValueError):
    pass


@dataclass(frozen=True)
class Pair:
    question: str
    answer: str


class Rule:
    QUESTION_MARK = "question_mark"
    BOLD = "bold"
    LABEL = "label"


@dataclass(frozen=True)
class ParsedInterview:
    introduction: str
    pairs: list[Pair] = field(default_factory=list)
    closing: str = ""
    greeting: str = ""
    # How the questions were recognised (a Rule), and the paragraphs that end in "?" but were kept in
    # an answer because the text marks its questions in another way.
    rule: str = Rule.QUESTION_MARK
    kept_in_answers: list[str] = field(default_factory=list)


def _is_greeting(line: str) -> bool:
    return len(line) <= GREETING_MAX_LENGTH and line.endswith(("!", ","))


def _is_question(paragraph: str) -> bool:
    return paragraph.endswith("?")


def _bold_inner(paragraph: str) -> str | None:
    """The text of a paragraph that is bold as a whole ("**…**" or "__…__"), else None."""
    for mark in ("**", "__"):
        if len(paragraph) > 4 and paragraph.startswith(mark) and paragraph.endswith(mark):
            inner = paragraph[2:-2].strip()
            if inner and mark not in inner:
                return inner
    return None


def _marked_question(paragraph: str) -> tuple[str, str] | None:
    """(rule, question text) when a paragraph is marked as a question other than by its "?"."""
    inner = _bold_inner(paragraph)
    if inner is not None:
        return Rule.BOLD, _QUESTION_LABEL.sub("", inner, count=1) or inner
    label = _QUESTION_LABEL.match(paragraph)
    if label and paragraph[label.end() :].strip():
        return Rule.LABEL, paragraph[label.end() :].strip()
    return None


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
    parts = paragraphs(_CONTROL.sub("", text.replace("\v", "\n")))
    marked = {i: m for i, paragraph in enumerate(parts) if (m := _marked_question(paragraph))}
    if marked:
        # The text marks its questions: only those start one, whatever their last character.
        rule = Rule.BOLD if any(r == Rule.BOLD for r, _ in marked.values()) else Rule.LABEL
        question_indexes = sorted(marked)
        parts = [marked[i][1] if i in marked else paragraph for i, paragraph in enumerate(parts)]
    else:
        rule = Rule.QUESTION_MARK
        question_indexes = [i for i, paragraph in enumerate(parts) if _is_question(paragraph)]
    if not question_indexes:
        raise InterviewParseError(_("No question found: no paragraph ends with a question mark."))
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
    kept = []
    bounds = [*question_indexes, end]
    for start, stop in pairwise(bounds):
        answer = parts[start + 1 : stop]
        if rule != Rule.QUESTION_MARK and answer:
            answer[0] = _ANSWER_LABEL.sub("", answer[0], count=1)
            kept += [paragraph for paragraph in answer if _is_question(paragraph)]
        pairs.append(Pair(question=parts[start], answer="\n\n".join(answer)))
    return ParsedInterview(
        introduction="\n\n".join(introduction),
        pairs=pairs,
        closing=closing,
        greeting=greeting,
        rule=rule,
        kept_in_answers=kept,
    )


class DocumentError(ValueError):
    pass


# A .docx is a zip: refuse one that would unpack to more than this (a "zip bomb").
DOCX_MAX_UNPACKED = 50 * 1024 * 1024


def document_text(name: str, data: bytes) -> str:
    """The text of an uploaded .txt or .docx, paragraphs separated by blank lines.

    A .docx paragraph that is bold throughout becomes "**…**", which parse_interview reads as a question.
    """
    if name.lower().endswith(".docx"):
        return _docx_text(data)
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Word and Notepad on Swedish Windows save in Windows-1252 when not told otherwise.
    return data.decode("cp1252", errors="replace")


def _docx_text(data: bytes) -> str:
    import docx  # python-docx; imported here, where it is needed, to keep every other request light

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > DOCX_MAX_UNPACKED:
                raise DocumentError(_("The document is too large to read."))
        document = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except Exception as error:  # a broken or foreign file: python-docx raises many kinds
        raise DocumentError(_("The file could not be read as a Word document (.docx).")) from error
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        runs = [run for run in paragraph.runs if run.text.strip()]
        if runs and all(run.bold or (run.bold is None and _style_bold(paragraph)) for run in runs):
            text = f"**{text}**"
        lines.append(text)
    return "\n\n".join(lines)


def _style_bold(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if style.font is not None and style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False
