"""Word documents built in the tests with python-docx."""

import io

import docx

# An interview whose questions and answers are labelled with the speakers' initials.
LABELLED = """Kim Exempel arbetar med klarspråk.

Fråga: Vad gör du om dagarna?

Svar: Jag skriver om brev. Vem läser dem egentligen?

Det undrar jag ofta. Vet du?

F: Berätta om ditt team.

Vi är fem.

Tack för samtalet!"""


def docx_bytes(paragraphs_: list[tuple[str, bool]]) -> bytes:
    """A .docx of `paragraphs_`, each a (text, bold) pair, as one run per paragraph."""
    document = docx.Document()
    for text, bold in paragraphs_:
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
