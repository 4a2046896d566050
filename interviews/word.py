"""A Word document (.docx) read for its structure, as text that interviews.parsing reads.

What Word marks, the text marks the same way, so that the editor can check and change it in the review:

- the Title style, or the first Heading 1, is the headline: "# Intervju med Kim Exempel, Skatteverket";
- Heading 2 and 3 (and a later Heading 1) are questions: "## Vad gör du?";
- a paragraph in bold throughout is a question: "**Vad gör du?**";
- a numbered paragraph that ends in "?" is a question: "3. Vad gör du?";
- lists become Markdown lists, links "[text](https://…)", bold and italic inside a paragraph "**…**", "*…*";
- a soft line break (Shift+Enter) starts a new paragraph, since Word users make paragraphs with it.

What has no place in an interview's text (images, tables, comments, footnotes) is counted, and tracked
changes are read as if accepted (insertions kept, deletions dropped) and counted, so the review can say
what was not taken along instead of losing it silently.

A .docx is a zip. The parts are unpacked in a stream with a cap that follows the text limit, and the text
is counted as it is read: a small file that unpacks to tens of megabytes is refused after reading the
first few, not after all of them.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Word's XML takes many bytes per character of text (run properties, proofing marks, revision ids);
# 50 bytes a character is more than real documents use. Pictures are not compressed in a .docx, so their
# unpacked size is about their size in the upload.
XML_BYTES_PER_CHAR = 50
MEDIA_MAX_UNPACKED = 10 * 1024 * 1024
_CHUNK = 64 * 1024


class DocumentError(ValueError):
    pass


class TextTooLong(DocumentError):
    pass


class LeftOut:
    """What a document holds that the interview does not take along (keys of WordText.left_out)."""

    IMAGES = "images"
    TABLES = "tables"
    COMMENTS = "comments"
    FOOTNOTES = "footnotes"
    TRACKED_CHANGES = "tracked_changes"


@dataclass
class WordText:
    text: str
    left_out: dict[str, int] = field(default_factory=dict)


def check_archive(data: bytes, *, max_chars: int) -> None:
    """Refuse a .docx whose parts would unpack to more than the text limit allows.

    Each part is decompressed in a stream and counted, so a header that lies about its size changes
    nothing, and reading stops at the cap.
    """
    xml_cap = max_chars * XML_BYTES_PER_CHAR
    totals = {"xml": 0, "media": 0}
    caps = {"xml": xml_cap, "media": MEDIA_MAX_UNPACKED}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                kind = "xml" if info.filename.endswith((".xml", ".rels")) else "media"
                if totals[kind] + info.file_size > caps[kind]:
                    raise TextTooLong(_("The document is too large to read."))
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        totals[kind] += len(chunk)
                        if totals[kind] > caps[kind]:
                            raise TextTooLong(_("The document is too large to read."))
    except DocumentError:
        raise
    except Exception as error:  # not a zip, or a broken one
        raise DocumentError(_("The file could not be read as a Word document (.docx).")) from error


def read_word(data: bytes, *, max_chars: int) -> WordText:
    """The text of a .docx with its structure marked (see the module's docstring)."""
    import docx  # python-docx; imported here, where it is needed, to keep every other request light

    check_archive(data, max_chars=max_chars)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a broken or foreign file: python-docx raises many kinds
        raise DocumentError(_("The file could not be read as a Word document (.docx).")) from error
    return _Reader(document, max_chars=max_chars).read()


def _on(element, tag: str) -> bool | None:
    """Whether a toggle property (w:b, w:i) is set on a properties element: True, False or None."""
    if element is None:
        return None
    prop = element.find(W + tag)
    if prop is None:
        return None
    return prop.get(W + "val", "true").lower() not in ("false", "0", "off", "none")


class _Reader:
    def __init__(self, document, *, max_chars: int):
        self.document = document
        self.part = document.part
        self.max_chars = max_chars
        self.length = 0
        self.blocks: list[str] = []
        self.left_out: dict[str, int] = {}
        self.has_title = False
        self.last_was_item = False
        self.list_counters: dict[tuple[str, str], int] = {}
        self.numbering = self._numbering_formats()

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.left_out[what] = self.left_out.get(what, 0) + n

    def read(self) -> WordText:
        body = self.document.element.body
        for child in body.iterchildren():
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.count(LeftOut.TABLES)
                # What is drawn or noted inside a table is left out with it, not counted twice.
            elif child.tag == W + "sdt":  # a content control around paragraphs (a cover page, a form)
                for p in child.iter(W + "p"):
                    self.paragraph(p)
        self.count(LeftOut.COMMENTS, self._comment_count())
        return WordText(text="\n\n".join(self.blocks), left_out=self.left_out)

    def add(self, block: str, *, joined: bool = False) -> None:
        self.length += len(block) + 2
        if self.length > self.max_chars:
            # Stop reading here: the rest would only be refused as well.
            raise TextTooLong(
                _("The text is too long: at most %(limit)d characters.") % {"limit": self.max_chars}
            )
        if joined and self.blocks:
            self.blocks[-1] += "\n" + block
        else:
            self.blocks.append(block)
        # Consecutive list items make one block; anything else ends the list (list_item sets it again).
        self.last_was_item = False

    # Styles and numbering

    def _style(self, p):
        from docx.text.paragraph import Paragraph

        try:
            return Paragraph(p, self.document._body).style
        except Exception:  # a style id the document does not define
            return None

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, level) → Word's number format ("bullet", "decimal", …)."""
        try:
            numbering = self.part.numbering_part.element
        except Exception:  # a document without lists
            return {}
        abstract = {}
        for node in numbering.iter(W + "abstractNum"):
            levels = {}
            for level in node.iter(W + "lvl"):
                fmt = level.find(W + "numFmt")
                levels[level.get(W + "ilvl")] = fmt.get(W + "val") if fmt is not None else "decimal"
            abstract[node.get(W + "abstractNumId")] = levels
        formats = {}
        for num in numbering.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(W + "val"), {}).items():
                formats[(num.get(W + "numId"), level)] = fmt
        return formats

    def _list_kind(self, p, style) -> tuple[str, str, str] | None:
        """("bullet" or "number", numId, level) for a list paragraph, else None."""
        num_pr = None
        p_pr = p.find(W + "pPr")
        if p_pr is not None:
            num_pr = p_pr.find(W + "numPr")
        current = style
        while num_pr is None and current is not None:
            s_pr = current.element.find(W + "pPr")
            if s_pr is not None:
                num_pr = s_pr.find(W + "numPr")
            current = current.base_style
        name = (style.name or "") if style is not None else ""
        if num_pr is None:
            if "Number" in name:
                return "number", name, "0"
            if "Bullet" in name:
                return "bullet", name, "0"
            return None
        num_id_el, level_el = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
        num_id = num_id_el.get(W + "val") if num_id_el is not None else "0"
        level = level_el.get(W + "val") if level_el is not None else "0"
        if num_id == "0":  # numbering switched off on this paragraph
            return None
        fmt = self.numbering.get((num_id, level))
        if fmt is None:
            fmt = "decimal" if "Number" in name else "bullet"
        return ("bullet" if fmt in ("bullet", "none") else "number"), num_id, level

    def _style_bold(self, style) -> bool:
        while style is not None:
            font = getattr(style, "font", None)
            if font is not None and font.bold is not None:
                return bool(font.bold)
            style = style.base_style
        return False

    # Paragraphs and runs

    def paragraph(self, p) -> None:
        style = self._style(p)
        name = (style.name or "") if style is not None else ""
        segments = self.segments(p, paragraph_bold=self._style_bold(style) and not name.startswith("Heading"))
        segments = [s for s in segments if s[0].strip()]
        if not segments:
            return
        heading = None
        if name == "Title" or name == "Subtitle":
            heading = "title" if name == "Title" else "subtitle"
        elif name.startswith("Heading"):
            level = name.removeprefix("Heading").strip()
            heading = "title" if level == "1" and not self.has_title else "question"
        kind = self._list_kind(p, style) if heading is None else None
        for index, (markdown, plain, bold) in enumerate(segments):
            if heading == "title" and index == 0:
                if self.has_title:
                    self.add(f"## {plain}")
                else:
                    self.has_title = True
                    self.add(f"# {plain}")
            elif heading == "subtitle" or (heading == "title" and index > 0):
                self.add(markdown)
            elif heading == "question" and index == 0:
                self.add(f"## {plain}")
            elif kind is not None and index == 0:
                self.list_item(markdown, plain, kind)
            elif bold:
                self.add(f"**{plain}**")
            else:
                self.add(markdown)

    def list_item(self, markdown: str, plain: str, kind: tuple[str, str, str]) -> None:
        what, num_id, level = kind
        previous_was_item = self.last_was_item
        if what == "number":
            number = self.list_counters.get((num_id, level), 0) + 1
            self.list_counters[(num_id, level)] = number
            if plain.endswith("?"):
                # A numbered question stands as a paragraph of its own: the parser takes it as a question.
                self.add(f"{number}. {plain}")
                return
            line = f"{number}. {markdown}"
        else:
            line = f"- {markdown}"
        indent = "    " * min(int(level) if level.isdigit() else 0, 3)
        self.add(indent + line, joined=previous_was_item)
        self.last_was_item = True

    def segments(self, p, *, paragraph_bold: bool) -> list[tuple[str, str, bool]]:
        """The paragraph's pieces between soft line breaks: (Markdown, plain text, bold throughout)."""
        pieces: list[list[tuple[str, bool, bool, str]]] = [[]]  # (text, bold, italic, link)
        self._walk(p, pieces, paragraph_bold=paragraph_bold, link="")
        result = []
        for runs in pieces:
            plain = "".join(text for text, *_rest in runs).strip()
            if not plain:
                continue
            visible = [(t, b) for t, b, _i, _l in runs if t.strip()]
            bold = all(b for _t, b in visible)
            result.append((_markdown(runs).strip(), " ".join(plain.split()), bold))
        return result

    def _walk(self, element, pieces, *, paragraph_bold: bool, link: str) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == W + "r":
                r_pr = child.find(W + "rPr")
                bold = _on(r_pr, "b")
                if bold is None:
                    bold = self._char_style_bold(r_pr) or paragraph_bold
                italic = bool(_on(r_pr, "i"))
                for node in child.iterchildren():
                    ntag = node.tag
                    if ntag == W + "t":
                        pieces[-1].append((node.text or "", bold, italic, link))
                    elif ntag == W + "tab":
                        pieces[-1].append((" ", bold, italic, link))
                    elif ntag in (W + "br", W + "cr"):
                        if node.get(W + "type") in (None, "textWrapping"):
                            pieces.append([])
                    elif ntag in (W + "drawing", W + "pict", W + "object"):
                        self.count(LeftOut.IMAGES)
                    elif ntag == W + "footnoteReference" or ntag == W + "endnoteReference":
                        self.count(LeftOut.FOOTNOTES)
                    elif ntag == W + "noBreakHyphen":
                        pieces[-1].append(("-", bold, italic, link))
            elif tag == W + "hyperlink":
                target = ""
                rid = child.get(R_ID)
                if rid and rid in self.part.rels:
                    rel = self.part.rels[rid]
                    target = rel.target_ref if rel.is_external else ""
                self._walk(child, pieces, paragraph_bold=paragraph_bold, link=target)
            elif tag in (W + "ins", W + "moveTo"):
                self.count(LeftOut.TRACKED_CHANGES)
                self._walk(child, pieces, paragraph_bold=paragraph_bold, link=link)
            elif tag in (W + "del", W + "moveFrom"):
                self.count(LeftOut.TRACKED_CHANGES)
            elif tag in (W + "smartTag", W + "customXml", W + "fldSimple", W + "sdt", W + "sdtContent"):
                self._walk(child, pieces, paragraph_bold=paragraph_bold, link=link)

    def _char_style_bold(self, r_pr) -> bool:
        if r_pr is None:
            return False
        ref = r_pr.find(W + "rStyle")
        if ref is None:
            return False
        try:
            style = self.document.styles.get_by_id(ref.get(W + "val"), 2)  # WD_STYLE_TYPE.CHARACTER
        except Exception:
            return False
        return self._style_bold(style) if style is not None else False

    def _comment_count(self) -> int:
        for rel in self.part.rels.values():
            if rel.reltype.endswith("/comments") and not rel.is_external:
                try:
                    from lxml import etree

                    root = etree.fromstring(rel.target_part.blob)
                except Exception:
                    return 0
                return len(root.findall(W + "comment"))
        return 0


def _markdown(runs: list[tuple[str, bool, bool, str]]) -> str:
    """Runs as Markdown: bold and italic stretches marked, links written out; spaces kept outside marks."""
    out = []
    groups: list[list] = []
    for text, bold, italic, link in runs:
        if groups and groups[-1][1:] == [bold, italic, link]:
            groups[-1][0] += text
        else:
            groups.append([text, bold, italic, link])
    for text, bold, italic, link in groups:
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        if bold and italic:
            core = f"***{core}***"
        elif bold:
            core = f"**{core}**"
        elif italic:
            core = f"*{core}*"
        if link:
            core = f"[{core}]({link})"
        out.append(lead + core + trail)
    return " ".join("".join(out).split(" ")).replace("\xa0", " ")
