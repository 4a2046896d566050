"""Every URL pattern of the portal, found by walking the resolver: new URLs join the tests by themselves."""

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name", or the regex for an unnamed pattern
    regex: str  # the whole path (without the leading slash) as one regular expression

    @property
    def literal(self) -> str | None:
        """The path when the pattern takes no parameters, else None."""
        if re.compile(self.regex).groups:
            return None
        return "/" + re.sub(r"\\(.)", r"\1", self.regex)

    def __str__(self) -> str:
        return self.name


def _walk(patterns, regex: str, namespace: str):
    for pattern in patterns:
        part = pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, regex + part, inner)
        elif isinstance(pattern, URLPattern):
            whole = regex + part.removesuffix(r"\Z").removesuffix("$")
            yield Endpoint(name=f"{namespace}{pattern.name}" if pattern.name else whole, regex=whole)


@cache
def endpoints() -> tuple[Endpoint, ...]:
    return tuple(_walk(get_resolver().url_patterns, "", ""))
