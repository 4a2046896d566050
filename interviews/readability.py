"""LIX (läsbarhetsindex), the Swedish readability index, so editors can aim for plain language.

LIX = words / sentences + 100 * long words / words, where a word is what stands between spaces and a
long word has more than six letters.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_NOT_A_LETTER = re.compile(r"[\W\d_]+")
# A full stop, colon, exclamation or question mark followed by a space (or the end) closes a sentence;
# so "t.ex." inside a word does not, and neither does the dot in "example.org".
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")
LONG_WORD = 6

# Upper bounds (exclusive) and what they mean, after the usual Swedish scale.
BANDS = [
    (30, _("very easy, like children's books")),
    (40, _("easy, like fiction and popular magazines")),
    (50, _("medium, like ordinary newspaper text")),
    (60, _("hard, like official documents")),
    (None, _("very hard, like bureaucratic Swedish or academic text")),
]


@dataclass(frozen=True)
class Lix:
    score: float
    words: int
    sentences: int
    long_words: int

    @property
    def meaning(self) -> str:
        for bound, meaning in BANDS:
            if bound is None or self.score < bound:
                return str(meaning)
        raise AssertionError("unreachable: the last band has no bound")


def _words(text: str) -> list[str]:
    letters = (_NOT_A_LETTER.sub("", token) for token in text.split())
    return [word for word in letters if word]


def lix(text: str) -> Lix | None:
    """The LIX of a text, or None when it has no words."""
    words = _words(text or "")
    if not words:
        return None
    # Text after the last full stop still counts as a sentence.
    sentences = sum(1 for piece in _SENTENCE_END.split(text) if _words(piece)) or 1
    long_words = sum(1 for word in words if len(word) > LONG_WORD)
    score = len(words) / sentences + 100 * long_words / len(words)
    return Lix(score=round(score, 1), words=len(words), sentences=sentences, long_words=long_words)
