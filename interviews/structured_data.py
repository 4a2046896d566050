"""schema.org ``Article`` data for an interview page, as JSON-LD (https://schema.org/Article).

Only what the page itself shows: the headline, when it was published, the portrait, who is interviewed
(``about``) and the movement as author and publisher (the page names no editor, so neither does this).
A draft or a scheduled interview seen in preview gets none: search engines are not told of it.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from interviews.models import Interview
from otg.common.json_ld import json_ld
from otg.common.markdown import render_markdown

ORGANIZATION = {"@type": "Organization", "name": "One Team Gov Sverige", "url": settings.SITE_URL + "/"}


def _iso(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def interview_structured_data(interview: Interview, *, introduction_html: str | None = None) -> dict:
    """``introduction_html``: the introduction as the page renders it (render_markdown), when the
    caller has it already."""
    url = settings.SITE_URL + interview.get_absolute_url()
    about = {"@type": "Person", "name": interview.interviewee_name}
    if interview.interviewee_description:
        about["description"] = interview.interviewee_description
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": Truncator(interview.title).chars(110),  # Google shows at most 110 characters
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": _iso(interview.published_at),
        "dateModified": _iso(max(interview.updated_at, interview.published_at)),
        "author": ORGANIZATION,
        "publisher": ORGANIZATION,
        "about": about,
        "inLanguage": "sv",
    }
    if introduction_html is None:
        introduction_html = render_markdown(interview.introduction)
    introduction = " ".join(strip_tags(introduction_html).split())
    if introduction:
        data["description"] = Truncator(introduction).chars(300)
    if interview.portrait_square:
        data["image"] = [settings.SITE_URL + interview.portrait_square.url]
    return data


def interview_json_ld(interview: Interview, *, introduction_html: str | None = None) -> SafeString:
    return json_ld(interview_structured_data(interview, introduction_html=introduction_html))
