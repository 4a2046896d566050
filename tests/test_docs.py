"""The README stays a newcomer's page, and every page of docs/ it or another page sends a reader to exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
LONGEST = 200
# The pages the README promises a newcomer (docs/architecture.md and the others beside it).
PAGES = ("architecture", "caching", "jobs", "benchmark", "deploy", "security")
# A Markdown link's target, or a path in code spans: [text](docs/x.md#part), `docs/x.md`.
LINK = re.compile(r"\]\(([^)\s]+)\)|`(docs/[^`\s]+)`")


def targets(text: str) -> list[str]:
    """The local files a Markdown text links to (addresses on the web and anchors alone left out)."""
    found = []
    for link, code in LINK.findall(text):
        target = (link or code).split("#", 1)[0]
        if target and not re.match(r"[a-z]+:", target):
            found.append(target)
    return found


def missing(page: Path) -> list[str]:
    return [target for target in targets(page.read_text()) if not (page.parent / target).exists()]


def test_the_readme_is_at_most_200_lines():
    assert len(README.read_text().splitlines()) <= LONGEST


def test_the_readme_sends_a_reader_to_every_page_of_docs():
    linked = {target for target in targets(README.read_text()) if target.startswith("docs/")}
    assert {f"docs/{page}.md" for page in PAGES} <= linked


def test_every_docs_link_of_the_readme_resolves():
    assert [target for target in missing(README) if target.startswith("docs/")] == []


def test_every_local_link_in_docs_resolves():
    broken = {page.name: missing(page) for page in sorted(DOCS.glob("*.md")) if missing(page)}
    assert broken == {}


def test_a_link_to_nothing_is_found(tmp_path):
    # A control for the two tests above: the same reading notices a page that is not there.
    page = tmp_path / "README.md"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "deploy.md").write_text("# Deploy\n")
    page.write_text("[Deploy](docs/deploy.md), [the web](https://example.org), `docs/gone.md`, [x](#top)\n")
    assert targets(page.read_text()) == ["docs/deploy.md", "docs/gone.md"]
    assert missing(page) == ["docs/gone.md"]
