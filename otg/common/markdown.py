"""Markdown written by editors and organisers, rendered and sanitised to a safe allowlist with nh3.

Rendered by cmark (cmarkgfm: the CommonMark reference parser in C), which takes linear time on any
input: Python-Markdown took 76 s on a run of 20,000 "[". Raw HTML is never rendered (cmark's safe
mode omits it and empties javascript: links), and nh3 then reduces what is left to the allowlist.
Two limits keep every text fast: a Markdown field holds at most MAX_LENGTH characters (the models
say so, so every form checks it), and output nested deeper than MAX_DEPTH (a run of ">" makes one
blockquote per character, and the sanitiser's HTML parser is quadratic in depth) is shown as plain
text. `make bench` measures the worst inputs found (tests/bench/inputs.py): at 10,000 characters the
worst renders in well under 100 ms.
"""

import re

import cmarkgfm
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from otg.common.text import clean_text

# Characters of Markdown in one field (an answer, an introduction, a description).
MAX_LENGTH = 10_000
# Elements nested in each other; real text reaches perhaps 6 (a list in a list in a quote).
MAX_DEPTH = 24

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
# An ordered list keeps its first number ("2019. Då startade vi." starts at 2019); cmark writes only digits.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Built once: nh3.clean() builds a new sanitiser from these lists on every call, which cost a first
# render of an interview page (ten texts) more CPU than the sanitising itself.
CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener nofollow",
)

TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*>")
VOID = {"br", "hr", "img", "input"}


def _too_deep(html: str) -> bool:
    depth = 0
    for match in TAG.finditer(html):
        closing, name = match.groups()
        if name in VOID:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            return True
    return False


def render_markdown(text: str, *, lowest_heading: int = 2) -> SafeString:
    """Render Markdown to HTML that is safe to show as it is.

    Headings are shifted so that none ranks above ``lowest_heading`` (the page keeps its own h1);
    script, event handlers, iframes, SVG and javascript: URLs never survive.
    """
    text = clean_text(text or "")[:MAX_LENGTH]
    html = cmarkgfm.markdown_to_html(text)
    if _too_deep(html):
        # Nothing a person writes nests this deep: show the text as it was typed.
        return mark_safe(linebreaks(escape(text)))
    shift = lowest_heading - 1
    if shift > 0 and "<h" in html:  # most answers have no heading: twelve replacements found nothing
        for level in range(6, 0, -1):
            target = min(level + shift, 6)
            html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    clean = CLEANER.clean(html)
    # nh3 has just reduced it to the allowlist above.
    return mark_safe(clean)
