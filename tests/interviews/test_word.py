"""Word documents of the shapes editors receive, read for their structure and split as an editor expects."""

import io
import time
import zipfile

import pytest

from interviews.parsing import IMPORT_MAX_CHARS, DocumentError, parse_interview, read_document
from tests.helpers.docx import CORPUS


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_document_splits_as_an_editor_expects(name):
    build, expected = CORPUS[name]
    document = read_document(f"{name}.docx", build())
    parsed = parse_interview(document.text)
    assert parsed.title == expected["title"]
    assert parsed.name == expected["name"]
    assert parsed.introduction == expected["introduction"]
    assert [(pair.question, pair.answer) for pair in parsed.pairs] == expected["pairs"]
    assert parsed.closing == expected["closing"]
    assert document.left_out == expected["left_out"]


def test_corpus_has_ten_shapes_at_least():
    assert len(CORPUS) >= 10


def _bomb(unpacked: int) -> bytes:
    """A valid .docx whose one paragraph unpacks to `unpacked` bytes of text (compresses ~1000:1)."""
    from tests.helpers.docx import question_marks_only

    source = zipfile.ZipFile(io.BytesIO(question_marks_only()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>")
                data = head + b"<w:body><w:p><w:r><w:t>" + b"a" * unpacked + b"</w:t></w:r></w:p>" + tail
            archive.writestr(info.filename, data)
    return buffer.getvalue()


def test_a_small_docx_that_unpacks_to_45_mb_is_refused_quickly():
    data = _bomb(45 * 1024 * 1024)
    assert len(data) < 200 * 1024
    started = time.process_time()
    with pytest.raises(DocumentError, match="för stort"):
        read_document("bomb.docx", data)
    # Unpacking stops at the cap that follows the text limit, not after 45 MB.
    assert time.process_time() - started < 1.0


def test_a_docx_just_past_the_text_limit_stops_reading_there():
    data = _bomb(IMPORT_MAX_CHARS + 10)
    with pytest.raises(DocumentError, match="för lång"):
        read_document("long.docx", data)
