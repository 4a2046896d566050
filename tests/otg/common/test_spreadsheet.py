"""No cell of an export can be read as a formula, whatever separator the spreadsheet splits on.

The many-input test builds cells from formula triggers (= + - @, their full-width forms, tab, CR),
every separator a reader may pick (, ; tab | : space), quotes and letters, writes them as our CSV,
and reads the file back with each separator, quoted and unquoted.
"""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from events.models import Event
from events.services.rsvps import rsvp_create
from otg.common.spreadsheet import csv_writer, safe_cell, write_row
from tests.factories import EventFactory, MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"
TRIGGERS = FORMULA_SIGNS + "\t\r"
SEPARATORS = [",", ";", "\t", "|", ":", " "]
CELL = st.lists(
    st.sampled_from([*TRIGGERS, *SEPARATORS, '"', "'", "\n", "a", "1", "Å", "(", ")", "x;=1+2;"]), max_size=20
).map("".join)


def _fields(content: str, separator: str):
    """What a spreadsheet splitting on ``separator`` may see: csv-quoted, and split naively."""
    for row in csv.reader(io.StringIO(content, newline=""), delimiter=separator):
        yield from row
    for line in content.splitlines():
        yield from line.split(separator)


def _is_formula(field: str) -> bool:
    # A spreadsheet skips leading blanks, tabs, CRs and quotes before it looks for a formula sign; an
    # apostrophe there makes the rest text.
    visible = field.lstrip(' \t\r\n"')
    return bool(visible) and visible[0] in FORMULA_SIGNS


@given(st.lists(CELL, min_size=1, max_size=4))
def test_no_cell_is_a_formula_whatever_the_separator(cells):
    stream = io.StringIO()
    write_row(csv_writer(stream), cells)
    content = stream.getvalue()
    for separator in SEPARATORS:
        formulas = [field for field in _fields(content, separator) if _is_formula(field)]
        assert not formulas, (separator, content)
    # Written with the comma it was written for, every cell reads back whole, apostrophes aside.
    assert len(next(csv.reader(io.StringIO(content, newline="")))) == len(cells)


def test_safe_cell_keeps_ordinary_text_as_it_is():
    assert safe_cell("Anna-Karin Öberg") == "Anna-Karin Öberg"
    assert safe_cell("anna@example.org") == "anna@example.org"
    assert safe_cell("2026-11-29 10:00") == "2026-11-29 10:00"


@pytest.mark.django_db
def test_attendee_csv_quotes_a_formula_after_a_separator(client):
    """The reported case: "x;=1+2;" was written unquoted, and Swedish Excel (splitting on ";") got "=1+2"."""
    organiser = MemberFactory(is_staff=True)
    event = EventFactory()
    rsvp_create(event=event, member=MemberFactory(name="x;=1+2;"), dietary_needs="@SUM(A1)\t-1")
    force_login_with_second_factor(client, organiser)
    content = client.get(reverse("events:organiser-attendees-csv", args=[event.slug])).content.decode(
        "utf-8-sig"
    )
    assert '"x;\'=1+2;"' in content
    for separator in SEPARATORS:
        assert not [field for field in _fields(content, separator) if _is_formula(field)]


@pytest.mark.django_db
def test_attendee_xlsx_keeps_every_value_as_text(client):
    """Beside the CSV, a workbook: each cell typed as text, so "=1+2" is never a formula."""
    from openpyxl import load_workbook

    organiser = MemberFactory(is_staff=True)
    event = EventFactory()
    # A raw row (written past the model's normal form, as an old row or a bulk update could be): the
    # workbook still gets no control character.
    Event.objects.filter(pk=event.pk).update(title="Meetup\x0bom tillit")
    rsvp_create(event=event, member=MemberFactory(name="=1+2"), dietary_needs="x;=HYPERLINK(1)\x01")
    force_login_with_second_factor(client, organiser)
    response = client.get(reverse("events:organiser-attendees-xlsx", args=[event.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:2] == ["Meetup\nom tillit", "=1+2"]
    assert rows[1][5] == "x;=HYPERLINK(1)"
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
