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

Every form the portal and its admin show cleans its text fields this way (``CleanTextFormMixin``);
the outputs (feeds, calendars, CSV) clean again with the same functions, for text stored earlier.
"""

import re

from django import forms

# Line breaks first: they become newlines (or spaces in single-line text) before the rest is removed.
LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 controls but tab and newline, DEL, lone surrogates, and the XML-forbidden noncharacters.
FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
SINGLE_LINE_SPACE = re.compile(r"[\t\n]+")


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


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def clean_value(value, *, multiline: bool):
    """Clean a form's cleaned value: a string, or each string in a list (tags)."""
    clean = clean_text if multiline else clean_line
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return type(value)(clean_line(item) for item in value)
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
