"""Word documents built in the tests with python-docx."""

# ruff: noqa: RUF001 (Word's typographic quotes and dashes are what the corpus tests)

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


# A corpus of Word documents in the shapes editors receive, each with the split an editor expects.


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 40, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _tracked(paragraph, kind: str, text: str) -> None:
    """A tracked insertion ("ins") or deletion ("del") of `text` at the end of `paragraph`."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tag = "w:t" if kind == "ins" else "w:delText"
    paragraph._p.append(
        parse_xml(
            f'<w:{kind} {w} w:id="{len(text)}" w:author="Redaktör" w:date="2026-12-01T10:00:00Z">'
            f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r></w:{kind}>'
        )
    )


def _footnote_reference(paragraph) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(parse_xml(f'<w:r {w}><w:footnoteReference w:id="1"/></w:r>'))


def _link(paragraph, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    paragraph._p.append(
        parse_xml(f'<w:hyperlink {ns} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>')
    )


def title_style_bold_questions() -> bytes:
    """The shape that broke the import: a Title, an introduction, a greeting, bold questions."""
    d = docx.Document()
    d.add_paragraph("Intervju med Kim Exempel, Skatteverket", style="Title")
    d.add_paragraph("Kim Exempel har arbetat med klarspråk i tio år.")
    d.add_paragraph("Vi träffades en måndag i november.")
    d.add_paragraph("Hej Kim!")
    d.add_paragraph().add_run("Vad gör du om dagarna?").bold = True
    d.add_paragraph("Jag skriver om brev så att fler förstår dem.")
    d.add_paragraph().add_run("Vad är svårast?").bold = True
    d.add_paragraph("Att stryka. Varje ord har någon som älskar det.")
    d.add_paragraph("Men det blir bättre.")
    d.add_paragraph("Tack för samtalet!")
    return _save(d)


def heading_styles_with_list_and_link() -> bytes:
    d = docx.Document()
    d.add_heading("Intervju med Sara Lind", level=1)
    d.add_paragraph("Sara Lind leder ett team på Försäkringskassan.")
    d.add_heading("Hur började det?", level=2)
    p = d.add_paragraph("Med ett ")
    p.add_run("enda").italic = True
    p.add_run(" möte.")
    d.add_heading("Vad lärde ni er?", level=2)
    d.add_paragraph("Tre saker:")
    d.add_paragraph("fråga användarna", style="List Bullet")
    d.add_paragraph("visa tidigt", style="List Bullet")
    d.add_paragraph("våga sluta", style="List Bullet")
    d.add_heading("Var kan man läsa mer?", level=3)
    p = d.add_paragraph("På ")
    _link(p, "vår blogg", "https://example.org/blogg")
    p.add_run(".")
    return _save(d)


def numbered_questions() -> bytes:
    d = docx.Document()
    d.add_heading("Intervju med Omar Said, Region Skåne", level=1)
    d.add_paragraph("Omar Said är digitaliseringschef.")
    d.add_paragraph("Vad gör en digitaliseringschef?", style="List Number")
    d.add_paragraph("Lyssnar mest.")
    d.add_paragraph("Vad vill du ändra?", style="List Number")
    d.add_paragraph("Hur vi köper it.")
    return _save(d)


def q_and_a_labels() -> bytes:
    d = docx.Document()
    d.add_paragraph("Intervju med Lena Berg", style="Title")
    d.add_paragraph("Lena Berg arbetar på en kommun i Norrland.")
    d.add_paragraph("Q: Vad betyder One Team Gov för dig?")
    d.add_paragraph("A: Att vi slutar vänta på lov. Vem skulle ge det?")
    d.add_paragraph("Q: Vad gör du nu?")
    d.add_paragraph("A: Bjuder in till frukost.")
    return _save(d)


def fraga_svar_smart_quotes() -> bytes:
    d = docx.Document()
    d.add_paragraph("Intervju med Maja Holm, Lantmäteriet", style="Title")
    d.add_paragraph("Maja Holm kallar sig ”förvaltningsnörd”.")
    d.add_paragraph("Fråga: Vad är ett ”bra” möte?")
    d.add_paragraph("Svar: Ett som slutar i tid – och med ett beslut.")
    d.add_paragraph("Fråga: Vem borde läsa det här?")
    d.add_paragraph("Svar: Alla som säger ’så har vi alltid gjort’.")
    return _save(d)


def interviewer_initials() -> bytes:
    d = docx.Document()
    d.add_paragraph("Intervju med Kim Exempel", style="Title")
    d.add_paragraph("Anna Bok (AB) intervjuar Kim Exempel (KE).")
    d.add_paragraph("AB: Vad gör du?")
    d.add_paragraph("KE: Jag skriver. Vad gör du själv?")
    d.add_paragraph("AB: Och varför?")
    d.add_paragraph("KE: För att det behövs.")
    return _save(d)


def soft_line_breaks() -> bytes:
    """Each question in bold, a soft line break (Shift+Enter), then the answer in the same paragraph."""
    d = docx.Document()
    d.add_paragraph("Intervju med Eva Ek", style="Title")
    d.add_paragraph("Eva Ek är utvecklare.")
    for question, answer in [("Vad bygger du?", "E-tjänster."), ("För vem?", "För alla som bor här.")]:
        p = d.add_paragraph()
        run = p.add_run(question)
        run.bold = True
        run.add_break()
        p.add_run(answer)
    return _save(d)


def table_and_image() -> bytes:
    from docx.shared import Cm

    d = docx.Document()
    d.add_paragraph("Intervju med Per Ström", style="Title")
    d.add_paragraph("Per Ström arbetar med öppna data.")
    d.add_picture(io.BytesIO(_png()), width=Cm(2))
    d.add_paragraph().add_run("Vilka data släpper ni?").bold = True
    d.add_paragraph("Allt som inte är hemligt.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "År"
    table.cell(0, 1).text = "Dataset"
    d.add_paragraph().add_run("Och sedan?").bold = True
    d.add_paragraph("Fler.")
    d.add_picture(io.BytesIO(_png()), width=Cm(2))
    d.add_picture(io.BytesIO(_png()), width=Cm(2))
    return _save(d)


def tracked_changes() -> bytes:
    d = docx.Document()
    d.add_paragraph("Intervju med Ali Nur", style="Title")
    p = d.add_paragraph("Ali Nur är jurist")
    _tracked(p, "ins", " på Domstolsverket")
    p.add_run(".")
    d.add_paragraph().add_run("Vad gör du?").bold = True
    p = d.add_paragraph("Jag läser lagar")
    _tracked(p, "del", " hela dagarna")
    p.add_run(".")
    d.add_paragraph().add_run("Varför?").bold = True
    d.add_paragraph("De styr allt.")
    return _save(d)


def comments_and_footnote() -> bytes:
    d = docx.Document()
    d.add_paragraph("Intervju med Nora Vik, Statskontoret", style="Title")
    p = d.add_paragraph("Nora Vik utreder hur staten styrs.")
    _footnote_reference(p)
    d.add_heading("Vad har du lärt dig?", level=2)
    p = d.add_paragraph("Att fråga varför.")
    d.add_comment(p.runs, text="Kolla citatet", author="Redaktör")
    d.add_heading("Vad önskar du?", level=2)
    d.add_paragraph("Mer tid.")
    return _save(d)


def question_marks_only() -> bytes:
    """No marks at all: every paragraph that ends in "?" is a question, the title a plain first line."""
    d = docx.Document()
    d.add_paragraph("Intervju med Jonas Falk")
    d.add_paragraph("Jonas Falk driver ett nätverk för tjänstedesign.")
    d.add_paragraph("Hur började nätverket?")
    d.add_paragraph("Med en lunch.")
    d.add_paragraph("Hur många är ni nu?")
    d.add_paragraph("Tvåhundra.")
    return _save(d)


# name → (builder, expected): title, name, introduction, (question, answer) pairs, closing, left out.
CORPUS = {
    "title-style-bold-questions": (
        title_style_bold_questions,
        {
            "title": "Intervju med Kim Exempel, Skatteverket",
            "name": "Kim Exempel",
            "introduction": (
                "Kim Exempel har arbetat med klarspråk i tio år.\n\nVi träffades en måndag i november."
            ),
            "pairs": [
                ("Vad gör du om dagarna?", "Jag skriver om brev så att fler förstår dem."),
                (
                    "Vad är svårast?",
                    "Att stryka. Varje ord har någon som älskar det.\n\nMen det blir bättre.",
                ),
            ],
            "closing": "Tack för samtalet!",
            "left_out": {},
        },
    ),
    "heading-styles-list-link": (
        heading_styles_with_list_and_link,
        {
            "title": "Intervju med Sara Lind",
            "name": "Sara Lind",
            "introduction": "Sara Lind leder ett team på Försäkringskassan.",
            "pairs": [
                ("Hur började det?", "Med ett *enda* möte."),
                ("Vad lärde ni er?", "Tre saker:\n\n- fråga användarna\n- visa tidigt\n- våga sluta"),
                ("Var kan man läsa mer?", "På [vår blogg](https://example.org/blogg)."),
            ],
            "closing": "",
            "left_out": {},
        },
    ),
    "numbered-questions": (
        numbered_questions,
        {
            "title": "Intervju med Omar Said, Region Skåne",
            "name": "Omar Said",
            "introduction": "Omar Said är digitaliseringschef.",
            "pairs": [
                ("Vad gör en digitaliseringschef?", "Lyssnar mest."),
                ("Vad vill du ändra?", "Hur vi köper it."),
            ],
            "closing": "",
            "left_out": {},
        },
    ),
    "q-and-a-labels": (
        q_and_a_labels,
        {
            "title": "Intervju med Lena Berg",
            "name": "Lena Berg",
            "introduction": "Lena Berg arbetar på en kommun i Norrland.",
            "pairs": [
                ("Vad betyder One Team Gov för dig?", "Att vi slutar vänta på lov. Vem skulle ge det?"),
                ("Vad gör du nu?", "Bjuder in till frukost."),
            ],
            "closing": "",
            "left_out": {},
        },
    ),
    "fraga-svar-smart-quotes": (
        fraga_svar_smart_quotes,
        {
            "title": "Intervju med Maja Holm, Lantmäteriet",
            "name": "Maja Holm",
            "introduction": "Maja Holm kallar sig ”förvaltningsnörd”.",
            "pairs": [
                ("Vad är ett ”bra” möte?", "Ett som slutar i tid – och med ett beslut."),
                ("Vem borde läsa det här?", "Alla som säger ’så har vi alltid gjort’."),
            ],
            "closing": "",
            "left_out": {},
        },
    ),
    "interviewer-initials": (
        interviewer_initials,
        {
            "title": "Intervju med Kim Exempel",
            "name": "Kim Exempel",
            "introduction": "Anna Bok (AB) intervjuar Kim Exempel (KE).",
            "pairs": [
                ("Vad gör du?", "Jag skriver. Vad gör du själv?"),
                ("Och varför?", "För att det behövs."),
            ],
            "closing": "",
            "left_out": {},
        },
    ),
    "soft-line-breaks": (
        soft_line_breaks,
        {
            "title": "Intervju med Eva Ek",
            "name": "Eva Ek",
            "introduction": "Eva Ek är utvecklare.",
            "pairs": [("Vad bygger du?", "E-tjänster."), ("För vem?", "För alla som bor här.")],
            "closing": "",
            "left_out": {},
        },
    ),
    "table-and-image": (
        table_and_image,
        {
            "title": "Intervju med Per Ström",
            "name": "Per Ström",
            "introduction": "Per Ström arbetar med öppna data.",
            "pairs": [("Vilka data släpper ni?", "Allt som inte är hemligt."), ("Och sedan?", "Fler.")],
            "closing": "",
            "left_out": {"images": 3, "tables": 1},
        },
    ),
    "tracked-changes": (
        tracked_changes,
        {
            "title": "Intervju med Ali Nur",
            "name": "Ali Nur",
            "introduction": "Ali Nur är jurist på Domstolsverket.",
            "pairs": [("Vad gör du?", "Jag läser lagar."), ("Varför?", "De styr allt.")],
            "closing": "",
            "left_out": {"tracked_changes": 2},
        },
    ),
    "comments-and-footnote": (
        comments_and_footnote,
        {
            "title": "Intervju med Nora Vik, Statskontoret",
            "name": "Nora Vik",
            "introduction": "Nora Vik utreder hur staten styrs.",
            "pairs": [("Vad har du lärt dig?", "Att fråga varför."), ("Vad önskar du?", "Mer tid.")],
            "closing": "",
            "left_out": {"footnotes": 1, "comments": 1},
        },
    ),
    "question-marks-only": (
        question_marks_only,
        {
            "title": "Intervju med Jonas Falk",
            "name": "Jonas Falk",
            "introduction": "Jonas Falk driver ett nätverk för tjänstedesign.",
            "pairs": [("Hur började nätverket?", "Med en lunch."), ("Hur många är ni nu?", "Tvåhundra.")],
            "closing": "",
            "left_out": {},
        },
    ),
}
