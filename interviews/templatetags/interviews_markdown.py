from django import template
from django.utils.safestring import SafeString

from otg.common.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, lowest_heading: int = 2) -> SafeString:
    """Markdown rendered and sanitised; ``lowest_heading`` keeps it below the page's own headings."""
    return render_markdown(text, lowest_heading=int(lowest_heading))
