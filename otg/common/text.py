"""Text people type or paste, made safe for every output once, where it enters the portal.

Word, PDFs and phones paste characters that no output can carry: C0 control characters (U+000B, the
"soft line break" Word pastes, among them) are forbidden in XML 1.0 (RSS, Atom, sitemaps) and in
iCalendar TEXT, and lone surrogates cannot be encoded as UTF-8 at all. The decision, made here once:

- C0 control characters other than tab and newline, DEL, and lone surrogates are removed; the
  noncharacters U+FFFE and U+FFFF (also invalid in XML) too.
- Every kind of line break (CR LF, CR, U+000B, U+000C, U+0085, U+2028, U+2029) becomes a newline in
  text of many lines.
- In a single-line field (a title, a name, a venue, a city, an address) every line break and tab is
  folded into one space: such a value goes into mail headers and calendar properties, where a line
  break is a new header.

Unicode gives one more kind: the same letters typed as different code points (macOS and some phone
keyboards give "o" + U+0308 for "ö"), code points that draw nothing, and code points that turn the
text around them. The decision, also made here once (``normalise_text``, ``normalise_line``):

- Every stored text is in NFC, so "jorgen@malmö.se" or "öppna data" is one string however it was typed.
- C1 control characters and the bidi overrides, embeddings and isolates (U+202A to U+202E, U+2066
  to U+2069) are removed: a name ending in U+202E would turn the text after it around wherever it is shown.
- In one line of text, characters that draw nothing (zero-width space, soft hyphen, word joiner, BOM,
  the Hangul fillers, the braille blank, the Mongolian vowel separator, direction marks) and spaces of
  every kind are removed at the ends; inside, a run of spaces becomes one space and a run of invisible
  characters is removed, except the joiners and variation selectors that emoji and some scripts need,
  of which one is kept between two visible characters.
- A name or a title has at least one letter or digit (``normalise_name``): one made only of
  invisible characters would be a heading and a link with no text.
- An email address is NFC and lowercase, as allauth compares them (``normalise_email``).

Every form the portal and its admin show cleans its text fields this way (``CleanTextFormMixin``),
and so does every model that stores such text, whatever path saved it (the shell, a command, an
admin action, an import: ``otg.common.normalised.NormalisedTextModel``). The outputs (feeds,
calendars, CSV) clean again with the same functions, for text stored earlier.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line breaks first: they become newlines (or spaces in single-line text) before the rest is removed.
LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 controls but tab and newline, DEL, lone surrogates, and the XML-forbidden noncharacters.
FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
SINGLE_LINE_SPACE = re.compile(r"[\t\n]+")
# C1 controls (U+0085 is a line break, handled above) and the bidi embeddings, overrides and isolates.
C1_AND_BIDI = re.compile("[\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing and carry no meaning of their own in a name: removed wherever they are.
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u200e\u200f"
    "\u2060-\u2064\u206a-\u206f\u2800\u3164\ufeff\uffa0\U0001d173-\U0001d17a"
)
# Invisible characters that join or select what is around them (👩‍💻, ❤️, 🏴󠁧󠁢󠁳󠁣󠁴󠁿, Persian ZWNJ): kept
# inside a word, a repeated one once. Only the joiners go at the ends and beside a space: a variation
# selector belongs to the character before it.
ZERO_WIDTH_JOINERS = "\u200c\u200d"
JOINERS = ZERO_WIDTH_JOINERS + "\ufe00-\ufe0f\U000e0020-\U000e007f\U000e0100-\U000e01ef"
# Spaces of every kind, and the characters that draw as a blank space.
SPACES = "\\s\u2800\u3164"
EDGES = re.compile(f"^[{SPACES}{INVISIBLE}{ZERO_WIDTH_JOINERS}]+|[{SPACES}{INVISIBLE}{ZERO_WIDTH_JOINERS}]+$")
SPACE_RUN = re.compile(
    f"[{INVISIBLE}{ZERO_WIDTH_JOINERS}]*[{SPACES}][{SPACES}{INVISIBLE}{ZERO_WIDTH_JOINERS}]*"
)
INVISIBLE_RUN = re.compile(f"[{INVISIBLE}]+")
JOINER_RUN = re.compile(f"([{JOINERS}])\\1+")
# Letters that draw nothing.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"


def clean_text(value: str) -> str:
    """Text of many lines that every output can carry: newlines and tabs kept, the rest removed."""
    if not value:
        return value
    return FORBIDDEN.sub("", LINE_BREAKS.sub("\n", value))


def clean_line(value: str) -> str:
    """Text of one line: as ``clean_text``, with every line break and tab folded into one space."""
    if not value:
        return value
    return SINGLE_LINE_SPACE.sub(" ", clean_text(value))


def normalise_text(value: str) -> str:
    """Text of many lines, as stored: ``clean_text``, NFC, and no C1 or bidi control characters."""
    if not value:
        return value
    return C1_AND_BIDI.sub("", unicodedata.normalize("NFC", clean_text(value)))


def normalise_line(value: str) -> str:
    """Text of one line, as stored: ``normalise_text`` on one line, with nothing invisible at its ends,
    one space between words, and no invisible character inside but the joiners a word needs."""
    if not value:
        return value
    value = normalise_text(clean_line(value))
    value = SPACE_RUN.sub(" ", value)
    value = INVISIBLE_RUN.sub("", value)
    value = JOINER_RUN.sub(r"\1", value)
    # Again: a mark that followed a removed character now follows the letter before it.
    return unicodedata.normalize("NFC", EDGES.sub("", value))


def has_visible_character(value: str) -> bool:
    """Whether the text holds a letter or a digit (the Hangul fillers are "letters" that draw nothing)."""
    return any(unicodedata.category(char)[0] in "LN" and char not in BLANK_LETTERS for char in value)


def validate_visible(value: str) -> None:
    if value and not has_visible_character(value):
        raise ValidationError(
            _(
                "Use at least one letter or digit: a name made only of spaces or invisible characters "
                "cannot be shown."
            ),
            code="invisible",
        )


def normalise_name(value: str) -> str:
    """A name or a title, as stored: ``normalise_line``, and ValidationError unless it holds a letter or
    a digit (an empty value stays empty: whether it is required is the field's to say)."""
    if not value:
        return value
    normalised = normalise_line(value)
    validate_visible(normalised or value)
    return normalised


def normalise_email(value: str) -> str:
    """An email address as stored and looked up: one line, NFC, lowercase (as allauth compares)."""
    if not value:
        return value
    return normalise_line(value).lower()


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def clean_value(value, *, multiline: bool):
    """Clean a form's cleaned value: a string, or each string in a list (tags)."""
    if isinstance(value, str):
        if multiline:
            return normalise_text(value)
        normalised = normalise_line(value)
        # A line of only invisible characters is left for the field's validation to name (a name
        # needs a letter or a digit), rather than turned into the message that nothing was entered.
        return normalised if normalised or not value.strip() else value
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return type(value)(normalise_line(item) for item in value)
    return value


class CleanTextFormMixin:
    """Clean every text field of a bound form before any validation sees the value.

    A field shown as a textarea keeps its lines; any other text field is one line. Put it first among
    the bases: ``class ProfileForm(CleanTextFormMixin, forms.ModelForm)``. The raw data is cleaned, so
    max_length, the model's validators and clean_<field>() all see the clean text, and a form shown
    again with errors shows it too.
    """

    def full_clean(self):
        if self.is_bound:
            self.data = _cleaned_data(self.data, self.fields, self.add_prefix)
        super().full_clean()


def _cleaned_data(data, fields, add_prefix):
    data = data.copy()
    for name, field in fields.items():
        if isinstance(field, forms.FileField | forms.BooleanField) or field.disabled:
            continue
        if isinstance(field.widget, forms.PasswordInput):  # compared as typed, never shown
            continue
        key = add_prefix(name)
        if key not in data:
            continue
        multiline = _is_multiline(field)
        if hasattr(data, "setlist"):
            values = data.getlist(key)
            if all(isinstance(value, str) for value in values):
                data.setlist(key, [clean_value(value, multiline=multiline) for value in values])
        else:
            data[key] = clean_value(data[key], multiline=multiline)
    return data


class CleanTextModelForm(CleanTextFormMixin, forms.ModelForm):
    """The admin's default form: set as ``form`` on every ModelAdmin and inline without a form of its own."""
