"""LIX (läsbarhetsindex), the Swedish readability index, so editors can aim for plain language.

LIX = words / sentences + 100 * long words / words, where a word is what stands between spaces and a
long word has more than six letters. A sentence ends at a full stop, colon, exclamation or question
mark that ends a word ("t.ex." inside a word does not, and neither does the dot in "example.org").

The text is walked once, word by word, with no regular expression that can backtrack, and only its
first MAX_CHARS characters are read: any text an editor pastes is scored in a few milliseconds.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Longer than any interview (the longest demo interview has about 9,000 characters); a longer text is
# scored on its beginning, which is what the score is for: a hint while writing.
MAX_CHARS = 100_000
# Letters only: \W and digits and "_" removed. Linear: one character class, no nesting.
_NOT_A_LETTER = re.compile(r"[\W\d_]+")
_SENTENCE_END = (".", "!", "?", ":")
LONG_WORD = 6

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
    """The LIX of a text, or None when it has no words. Linear in the length of the text."""
    words = long_words = sentences = 0
    words_since_end = False
    for token in (text or "")[:MAX_CHARS].split():
        letters = len(token) - sum(len(run) for run in _NOT_A_LETTER.findall(token))
        if letters:
            words += 1
            long_words += letters > LONG_WORD
            words_since_end = True
        if token.endswith(_SENTENCE_END) and words_since_end:
            sentences += 1
            words_since_end = False
    if not words:
        return None
    # Text after the last full stop still counts as a sentence.
    sentences += words_since_end
    score = words / sentences + 100 * long_words / words
    return Lix(score=round(score, 1), words=words, sentences=sentences, long_words=long_words)
