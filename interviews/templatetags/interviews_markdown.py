from django import template
from django.utils.safestring import SafeString

from interviews.structured_data import interview_json_ld
from otg.common.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, lowest_heading: int = 2) -> SafeString:
    """Markdown rendered and sanitised; ``lowest_heading`` keeps it below the page's own headings."""
    return render_markdown(text, lowest_heading=int(lowest_heading))


@register.simple_tag(name="interview_json_ld")
def interview_json_ld_tag(interview, introduction_html=None) -> SafeString:
    """The interview as a schema.org Article (interviews.structured_data), for a published page;
    ``introduction_html``: the page's own rendering of the introduction, rendered once for both."""
    return interview_json_ld(
        interview, introduction_html=None if introduction_html is None else str(introduction_html)
    )
