"""Markdown written by editors and organisers, rendered and sanitised to a safe allowlist with nh3."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, *, lowest_heading: int = 2) -> SafeString:
    """Render Markdown to HTML that is safe to show as it is.

    Headings are shifted so that none ranks above ``lowest_heading`` (the page keeps its own h1);
    script, event handlers, iframes, SVG and javascript: URLs never survive.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    shift = lowest_heading - 1
    if shift > 0:
        for level in range(6, 0, -1):
            target = min(level + shift, 6)
            html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    # nh3 has just reduced it to the allowlist above.
    return mark_safe(clean)
