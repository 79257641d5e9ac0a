"""HTML pages: decoding the bytes right, the main text (trafilatura) and the title."""

from __future__ import annotations

import codecs
import logging
import re

import lxml.html
import trafilatura
from lxml.etree import LxmlError, ParserError

from monitor.analysis.normalise import repair_mojibake

TRAFILATURA_VERSION = f"trafilatura/{trafilatura.__version__}"
# Browsers read these labels as windows-1252 (WHATWG), and so do Swedish sites that send them.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_INVISIBLE = ("script", "style", "noscript", "template", "head")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# trafilatura logs every page it finds no article in at ERROR; the fallback handles those.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match[1] if match else None


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or b"<html" in head


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _bom_codec(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match[1].decode("ascii") if match else None


def decode_html(data: bytes, declared_encoding: str | None) -> str:
    """Bytes to text: BOM, else the declared charset, else <meta charset>, else UTF-8, else windows-1252.

    A page that was decoded twice before it was served ("Ã¥tervandring") is repaired here, before the
    markup is parsed (which drops the C1 characters such mojibake holds, and with them the way back).
    """
    return repair_mojibake(data.decode(html_encoding(data, declared_encoding), errors="replace"))


def html_encoding(data: bytes, declared_encoding: str | None) -> str:
    """The codec `decode_html` reads `data` with (the crawler's listings are read with it too)."""
    candidates = (_bom_codec(data), _codec(declared_encoding), _codec(_meta_charset(data)), "utf-8", "cp1252")
    for encoding in dict.fromkeys(c for c in candidates if c):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "cp1252"


def _tree(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html) or "<html></html>")
    except (ParserError, LxmlError, ValueError):
        return None


def main_text(html: str, url: str) -> str:
    """The page's main text as trafilatura sees it ('' when it finds none)."""
    try:
        found = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # noqa: BLE001 - trafilatura on hostile markup; fall back to the visible text
        return ""
    return found or ""


def visible_text(html: str) -> str:
    """All text a reader would see, one block per line."""
    tree = _tree(html)
    if tree is None:
        return ""
    for element in tree.xpath("|".join(f"//{tag}" for tag in _INVISIBLE)):
        element.drop_tree()
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def page_title(html: str) -> str:
    """The page's first <h1>, else its <title>."""
    tree = _tree(html)
    if tree is None:
        return ""
    for path in ("//h1", "//title"):
        for element in tree.xpath(path):
            title = " ".join(element.text_content().split())
            if title:
                return title
    return ""
