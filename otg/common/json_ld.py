"""schema.org data as a JSON-LD block: a ``<script type="application/ld+json">`` is data, never run, so
the strict CSP holds; the escapes keep any text in the data from closing the element."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# The same escapes as Django's json_script: no "<", ">" or "&" reaches the HTML, so no text in the data
# can close the <script> element or open a comment.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_ESCAPES)))
