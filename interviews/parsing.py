"""Plain-text interviews, as they arrive by mail or in a document, turned into their parts.

The rules: the opening paragraphs are the introduction; the greeting line just before the first
question ("Hej Adrian!") is dropped; each paragraph ending in a question mark starts a question, and the
paragraphs after it are its answer; the last paragraph is the closing text.

When the text marks its questions in another way, that way wins: a paragraph in bold
("**Vad gör du?**", as a .docx with bold questions arrives), a heading ("## Vad gör du?", from Word's
Heading 2 and 3), a numbered question ("3. Vad gör du?"), one that starts with a label such as "Fråga:",
"F:" or "Q:", or with the interviewer's initials ("AB: Vad gör du?", when the first labelled paragraph's
initials come back). Then only marked paragraphs start questions, and an answer paragraph that ends in a
question mark stays in its answer; the editor is shown which ones before anything is saved.

A first paragraph "# …" is the headline (Word's Title style or first Heading 1, see interviews.word), and
when it says "Intervju med NAME" (or "Intervju med NAME, Skatteverket") it gives the interviewee's name.

Every step is linear in the length of the text (no regular expression here can backtrack).
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils.translation import gettext_lazy as _

from interviews.word import DocumentError, TextTooLong, read_word

__all__ = ["DocumentError", "TextTooLong"]

# A greeting is a short line ending in "!" (or ","), just before the first question.
GREETING_MAX_LENGTH = 40
_BLANK = re.compile(r"^\s*$")
# "Fråga:", "Fråga 3:", "F:", "Q:", "Question:" at the start of a paragraph marks a question.
_QUESTION_LABEL = re.compile(r"^(?:fråga|f|q|question)(?: ?\d{1,3})? ?: *", re.IGNORECASE)
# "Svar:", "S:", "A:", "Answer:" at the start of an answer is dropped with the question labels.
_ANSWER_LABEL = re.compile(r"^(?:svar|s|a|answer) ?: *", re.IGNORECASE)
# "KE: …": the initials of one of the two speakers (two or three capitals) as a label.
_INITIALS = re.compile(r"^(?P<initials>[A-ZÅÄÖ]{2,3}) ?: *(?=\S)")
# "3. Vad gör du?" or "3) Vad gör du?" on a line of its own.
_NUMBERED = re.compile(r"^\d{1,3}[.)] +(?=\S)")
# "## Vad gör du?" or "### Vad gör du?"
_HEADING = re.compile(r"^#{2,3} +(?=\S)")
_TITLE = re.compile(r"^# +(?=\S)")
# "Intervju med Kim Exempel, Skatteverket" → "Kim Exempel"; the name ends at a comma, dash, colon or bracket.
_NAME_IN_TITLE = re.compile(
    r"^(?:intervju med|interview with|samtal med) +(?P<name>[^,;:()\[\]–—]{2,150})",  # noqa: RUF001
    re.IGNORECASE,
)
# A line that starts a Markdown list item keeps its line break inside a paragraph.
_LIST_LINE = re.compile(r"^(?:[-*+] |\d{1,3}[.)] )")
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
    HEADING = "heading"
    NUMBERED = "numbered"
    INITIALS = "initials"


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
    # The headline ("# …" first) and the name it gives ("Intervju med NAME"), or "".
    title: str = ""
    name: str = ""


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


def _marked_question(paragraph: str, interviewer: str = "") -> tuple[str, str] | None:
    """(rule, question text) when a paragraph is marked as a question other than by its "?"."""
    inner = _bold_inner(paragraph)
    if inner is not None:
        return Rule.BOLD, _QUESTION_LABEL.sub("", inner, count=1) or inner
    heading = _HEADING.match(paragraph)
    if heading:
        return Rule.HEADING, _strip_inline_bold(paragraph[heading.end() :].strip())
    label = _QUESTION_LABEL.match(paragraph)
    if label and paragraph[label.end() :].strip():
        return Rule.LABEL, paragraph[label.end() :].strip()
    numbered = _NUMBERED.match(paragraph)
    if numbered and "\n" not in paragraph and paragraph.endswith("?"):
        return Rule.NUMBERED, paragraph[numbered.end() :].strip()
    initials = _INITIALS.match(paragraph)
    if interviewer and initials and initials["initials"] == interviewer:
        return Rule.INITIALS, paragraph[initials.end() :].strip()
    return None


def _strip_inline_bold(text: str) -> str:
    inner = _bold_inner(text)
    return inner if inner is not None else text


def _interviewer_initials(parts: list[str]) -> str:
    """The initials that label the first labelled paragraph, when they label at least two."""
    labels = [m["initials"] for paragraph in parts if (m := _INITIALS.match(paragraph))]
    if len(labels) >= 2 and labels.count(labels[0]) >= 2:
        return labels[0]
    return ""


def name_from_title(title: str) -> str:
    """ "Kim Exempel" from "Intervju med Kim Exempel, Skatteverket"; "" when the title names no one."""
    match = _NAME_IN_TITLE.match(title.strip())
    return " ".join(match["name"].split()).rstrip(".") if match else ""


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
        # Lines of a list keep their breaks (Markdown needs them); other lines are one paragraph.
        joined = block[0]
        for line in block[1:]:
            joined += ("\n" if _LIST_LINE.match(line) else " ") + line
        result.append(joined)
    return result


def parse_interview(text: str) -> ParsedInterview:
    """Split a plain-text interview into introduction, question-and-answer pairs and closing text."""
    parts = paragraphs(_CONTROL.sub("", text.replace("\v", "\n")))
    title = ""
    if parts and _TITLE.match(parts[0]):
        title = _strip_inline_bold(parts.pop(0)[1:].strip())
    elif parts and name_from_title(_strip_inline_bold(parts[0])):
        # "Intervju med Kim Exempel" standing first is the headline, bold or not.
        title = _strip_inline_bold(parts.pop(0))
    interviewer = _interviewer_initials(parts)
    marked = {i: m for i, paragraph in enumerate(parts) if (m := _marked_question(paragraph, interviewer))}
    if marked:
        # The text marks its questions: only those start one, whatever their last character.
        kinds = [r for r, _ in marked.values()]
        rule = max(dict.fromkeys(kinds), key=kinds.count)  # the most common marking; the first on a tie
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
            if interviewer:  # the interviewee's initials before each answer paragraph
                answer = [_INITIALS.sub("", paragraph, count=1) for paragraph in answer]
            kept += [paragraph for paragraph in answer if _is_question(paragraph)]
        pairs.append(Pair(question=parts[start], answer="\n\n".join(answer)))
    return ParsedInterview(
        introduction="\n\n".join(introduction),
        pairs=pairs,
        closing=closing,
        greeting=greeting,
        rule=rule,
        kept_in_answers=kept,
        title=title,
        name=name_from_title(title),
    )


# A pasted interview is a few pages; the longest real one is about 10,000 characters.
IMPORT_MAX_CHARS = 200_000


@dataclass(frozen=True)
class Document:
    text: str
    # What the document held and the text does not (interviews.word.LeftOut → how many).
    left_out: dict[str, int] = field(default_factory=dict)


def read_document(name: str, data: bytes, *, max_chars: int = IMPORT_MAX_CHARS) -> Document:
    """The text of an uploaded .txt or .docx, paragraphs separated by blank lines.

    A .docx is read for its structure (interviews.word): its headline, headings, bold and numbered
    questions, lists and links are marked as parse_interview reads them.
    """
    if name.lower().endswith(".docx"):
        result = read_word(data, max_chars=max_chars)
        return Document(text=result.text, left_out=result.left_out)
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return Document(text=data.decode(encoding))
        except UnicodeDecodeError:
            continue
    # Word and Notepad on Swedish Windows save in Windows-1252 when not told otherwise.
    return Document(text=data.decode("cp1252", errors="replace"))


def document_text(name: str, data: bytes) -> str:
    return read_document(name, data).text
