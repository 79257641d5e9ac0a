"""Writing the same thing as plain text, Markdown or HTML; highlighting; cutting text at a sensible place.

Every function takes text that is not yet escaped unless its name says otherwise;
the :class:`Markup` methods that wrap (``strong``, ``mark``, ``link`` label, ``item``)
take text already passed through ``escape``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from alerts.channels import Format

ELLIPSIS = "…"


class Markup:
    """Plain text: nothing to escape; emphasis shown with guillemets."""

    format = Format.TEXT
    block_separator = "\n\n"

    def escape(self, text: str) -> str:
        return text

    def url(self, url: str) -> str:
        return url

    def strong(self, escaped: str) -> str:
        return escaped

    def mark(self, escaped: str) -> str:
        return f"«{escaped}»"

    def link(self, escaped_label: str, url: str) -> str:
        return f"{escaped_label} <{self.url(url)}>"

    def blockquote(self, escaped: str) -> str:
        return f"» {escaped}"

    def items(self, escaped_items: Iterable[str]) -> str:
        return "\n".join(f"– {item}" for item in escaped_items)

    def section(self, heading: str, escaped_items: Sequence[str]) -> str:
        return f"{self.escape(heading)}\n{self.items(escaped_items)}"


class MarkdownMarkup(Markup):
    format = Format.MARKDOWN
    _SPECIAL = re.compile(r"([\\`*_\[\]])")

    def escape(self, text: str) -> str:
        return self._SPECIAL.sub(r"\\\1", text)

    def url(self, url: str) -> str:
        return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")

    def strong(self, escaped: str) -> str:
        return f"**{escaped}**"

    def mark(self, escaped: str) -> str:
        return f"**{escaped}**"

    def link(self, escaped_label: str, url: str) -> str:
        return f"[{escaped_label}]({self.url(url)})"

    def blockquote(self, escaped: str) -> str:
        return f"> {escaped}"

    def items(self, escaped_items: Iterable[str]) -> str:
        return "\n".join(f"- {item}" for item in escaped_items)

    def section(self, heading: str, escaped_items: Sequence[str]) -> str:
        return f"**{self.escape(heading)}**\n{self.items(escaped_items)}"


class HtmlMarkup(Markup):
    format = Format.HTML
    block_separator = "\n"

    def escape(self, text: str) -> str:
        return html.escape(text, quote=True)

    def url(self, url: str) -> str:
        return html.escape(url, quote=True)

    def strong(self, escaped: str) -> str:
        return f"<strong>{escaped}</strong>"

    def mark(self, escaped: str) -> str:
        return f"<mark>{escaped}</mark>"

    def link(self, escaped_label: str, url: str) -> str:
        """The address shown too, small: the plain-text part of an email keeps only visible text."""
        target = self.url(url)
        return f'<a href="{target}">{escaped_label}</a> <small><a href="{target}">{target}</a></small>'

    def blockquote(self, escaped: str) -> str:
        return f"<blockquote>{escaped}</blockquote>"

    def items(self, escaped_items: Iterable[str]) -> str:
        return "<ul>" + "".join(f"<li>{item}</li>" for item in escaped_items) + "</ul>"

    def section(self, heading: str, escaped_items: Sequence[str]) -> str:
        return f"<h3>{self.escape(heading)}</h3>\n{self.items(escaped_items)}"


MARKUPS: dict[Format, Markup] = {Format.TEXT: Markup(), Format.MARKDOWN: MarkdownMarkup(), Format.HTML: HtmlMarkup()}


def markup_for(fmt: Format | str) -> Markup:
    return MARKUPS[Format(fmt)]


def highlight(text: str, needles: Iterable[str], markup: Markup) -> str:
    """Escape `text` and mark every occurrence of any needle (case-insensitive)."""
    wanted = sorted({n for n in needles if n and n.strip()}, key=len, reverse=True)
    if not wanted:
        return markup.escape(text)
    pattern = re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [markup.escape(text[last:match.start()]), markup.mark(markup.escape(match.group()))]
        last = match.end()
    return "".join(pieces) + markup.escape(text[last:])


def one_line(text: str) -> str:
    """Collapse runs of whitespace (line breaks of a PDF) into single spaces."""
    return " ".join(text.split())


_BOUNDARIES = (re.compile(r"\n"), re.compile(r"[.!?;:…](?=\s)"), re.compile(r"\s"))


def shorten(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """Cut `text` to at most `limit` characters at a line, sentence or word boundary, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[:max(limit - len(ellipsis), 0)]
    return head[:_boundary(head)].rstrip() + ellipsis


def _boundary(head: str) -> int:
    """The last good place to cut `head`, keeping at least half of it."""
    floor = len(head) // 2
    for pattern in _BOUNDARIES:
        ends = [m.end() for m in pattern.finditer(head) if m.end() >= floor]
        if ends:
            return ends[-1]
    return len(head)
