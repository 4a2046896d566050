"""What a page costs a visitor: HTML plus its CSS and JS as transferred, caching, and other hosts."""

import re
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.loaded: list[str] = []  # everything the browser fetches by itself (not <a href>)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and attrs.get("href") and {"stylesheet", "icon", "preload", "manifest"} & set(rel):
            self.loaded.append(attrs["href"])
            if "stylesheet" in rel:
                self.styles.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
            self.loaded.append(attrs["src"])
        elif tag in ("img", "source", "iframe", "audio", "video") and attrs.get("src"):
            self.loaded.append(attrs["src"])


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def page_weight(base: str, path: str) -> dict:
    html, _ = fetch(base + path)
    parser = _Assets()
    parser.feed(html.decode("utf-8", "replace"))
    total = len(html)
    uncached = []
    for asset in parser.styles + parser.scripts:
        body, headers = fetch(urljoin(base + path, asset))
        total += len(body)
        if not HASHED.search(urlsplit(asset).path) or "max-age=31536000" not in headers.get(
            "cache-control", ""
        ):
            uncached.append(asset)
    own_host = urlsplit(base).netloc
    foreign = [url for url in parser.loaded if urlsplit(url).netloc and urlsplit(url).netloc != own_host]
    return {"bytes": total, "uncached_assets": uncached, "other_hosts": foreign}
