import pytest

from otg.common.markdown import render_markdown

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", XSS)
def test_render_markdown_removes_active_content(payload):
    html = render_markdown(payload).lower()
    for needle in ("<script", "onerror", "javascript:", "<iframe", "<svg", "onclick", "<style", "<img"):
        assert needle not in html


def test_render_markdown_keeps_the_allowed_formatting():
    html = render_markdown("Hej **du**, *läs* [mer](https://example.org).\n\n- ett\n- två\n\n> citat")
    assert "<strong>du</strong>" in html and "<em>läs</em>" in html
    assert '<a href="https://example.org" rel="noopener nofollow">mer</a>' in html
    assert "<ul>" in html and "<blockquote>" in html


def test_render_markdown_keeps_headings_below_the_page_heading():
    html = render_markdown("# Rubrik\n\n## Under", lowest_heading=2)
    assert "<h1>" not in html
    assert "<h2>Rubrik</h2>" in html and "<h3>Under</h3>" in html
