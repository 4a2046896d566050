"""LIX (läsbarhetsindex), the Swedish readability index, so editors can aim for plain language.

LIX = words / sentences + 100 * long words / words, where a word is what stands between spaces and a
long word has more than six letters. A sentence ends at a full stop, colon, exclamation or question
mark that ends a word ("t.ex." inside a word does not, and neither does the dot in "example.org").

Every pass is linear (no regular expression here can backtrack) and runs in the regular expression
engine or str.split, and only the first MAX_CHARS characters are read: any text scores in milliseconds.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Three times the longest interview so far (the demo's longest has about 9,000 characters); a longer
# text is scored on its beginning, which is what the score is for: a hint while writing.
MAX_CHARS = 30_000
# A run of . ! ? : that ends a word closes a sentence. The lookbehind starts a match only at the start
# of a run, and the possessive ++ never backtracks, so a run of 40,000 dots is read once, not 40,000 times.
_SENTENCE_END = re.compile(r"(?<![.!?:])[.!?:]++(?=\s|$)")
_END = "\x00"
# Everything but letters, whitespace and the sentence-end mark (digits and "_" are \w but not letters).
_NOT_LETTER = re.compile(r"[^\w\s\x00]+|[\d_]+")
LONG_WORD = 6
_LONG_WORD = re.compile(rf"[^\s\x00]{{{LONG_WORD + 1},}}")
# A sentence: from its first letter to the next mark (or the end of the text).
_SENTENCE = re.compile(r"[^\s\x00][^\x00]*")

# The usual Swedish bands: lower bounds (inclusive) of the rounded score, a short name and an example.
BANDS = [
    (0, _("very easy"), _("like children's books")),
    (25, _("easy"), _("like simple texts and popular magazines")),
    (30, _("medium"), _("like ordinary newspaper text and fiction")),
    (40, _("hard"), _("like factual prose and official documents")),
    (50, _("very hard"), _("like bureaucratic Swedish or academic text")),
]


@dataclass(frozen=True)
class Lix:
    score: float
    words: int
    sentences: int
    long_words: int

    @property
    def rounded(self) -> int:
        # Half up, as people round: 28.5 is 29 (Python's round() would give 28).
        return int(self.score + 0.5)

    def _band(self) -> tuple:
        chosen = BANDS[0]
        for band in BANDS:
            if self.rounded >= band[0]:
                chosen = band
        return chosen

    @property
    def band(self) -> str:
        """The band's short name, for example "lättläst"."""
        return str(self._band()[1])

    @property
    def meaning(self) -> str:
        """The band's name and an example, for example "lättläst, som enkla texter och veckotidningar"."""
        _bound, name, example = self._band()
        return f"{name}, {example}"

    @property
    def label(self) -> str:
        """What the admin shows: "LIX 28 – lättläst"."""  # noqa: RUF002
        # An en dash, as Swedish typography has it.
        return _("LIX %(score)d – %(band)s") % {"score": self.rounded, "band": self.band}  # noqa: RUF001


def lix(text: str) -> Lix | None:
    """The LIX of a text, or None when it has no words.

    Linear in the length of the text, and every pass runs inside the regular expression engine or
    str.split: no Python loop per word.
    """
    text = (text or "")[:MAX_CHARS].replace(_END, "")
    # Each sentence end marked, then only letters, whitespace and marks left: "Ja\x00 Nej\x00".
    compact = _NOT_LETTER.sub("", _SENTENCE_END.sub(_END, text))
    tokens = compact.split()
    words = len(tokens) - tokens.count(_END)
    if not words:
        return None
    long_words = len(_LONG_WORD.findall(compact))
    # Text after the last full stop still counts as a sentence.
    sentences = len(_SENTENCE.findall(compact))
    score = words / sentences + 100 * long_words / words
    return Lix(score=round(score, 1), words=words, sentences=sentences, long_words=long_words)
