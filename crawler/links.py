"""Which links lead to meeting and protocol pages, which are documents, and what to call them."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

from monitor.municipalities import fold_name

# Folded (lower case, no diacritics): protokoll, sammanträde(n), kallelse(r), handlingar, möten/möte,
# kommunfullmäktige, kommunstyrelsen, nämnd(er), diarium/diariet, anslagstavla(n), politik, beslut.
_NAVIGATION = re.compile(
    r"protokoll|sammantrade|kallelse|handlingar|\bmoten?\b|kommunfullmaktige|kommunstyrelse"
    r"|namnd|diari|anslagstavla|politik|beslut"
)
_PROTOCOL_PAGE = re.compile(r"protokoll|beslut")
_SEPARATORS = re.compile(r"[-_/.+=?&%]+")
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "rtf", "odt")
_DOCUMENT_PATH = re.compile(r"(?:\.(?:" + "|".join(DOCUMENT_EXTENSIONS) + r")$)|/download/", re.IGNORECASE)
_SIZE_NOTE = re.compile(r"\s*[(\[][^)\]]*\b(?:pdf|docx?|rtf|kb|mb|byte)\b[^)\]]*[)\]]\s*$", re.IGNORECASE)
_GENERIC_TEXTS = {"", "pdf", "ladda ner", "ladda ned", "oppna", "las mer", "har", "klicka har", "download",
                  "hamta", "visa", "lank", "dokument", "fil"}


def folded_words(text: str) -> str:
    """Text or URL as folded words: 'Möten-och-Protokoll.4.abc.html' -> 'moten och protokoll 4 abc html'."""
    return fold_name(_SEPARATORS.sub(" ", unquote(text)))


def looks_like_navigation(text: str, url: str) -> bool:
    """Does the link text or its URL suggest meeting or protocol pages?"""
    return bool(_NAVIGATION.search(folded_words(text)) or _NAVIGATION.search(folded_words(urlsplit(url).path)))


def looks_like_protocol_page(text: str, url: str) -> bool:
    """Could this HTML page itself be a protocol or a decision (by its title, heading or URL)?"""
    return bool(_PROTOCOL_PAGE.search(folded_words(text)) or _PROTOCOL_PAGE.search(folded_words(urlsplit(url).path)))


def looks_like_document(url: str) -> bool:
    """A file to download (PDF, Word, RTF, a CMS download path, a portal's '.../protokollpdf') not a page."""
    return bool(_DOCUMENT_PATH.search(urlsplit(url).path)) or expects_pdf(url)


def expects_pdf(url: str) -> bool:
    """The URL promises a PDF: '.pdf', or a portal path ending in 'pdf' ('.../protocol/protokollpdf')."""
    return urlsplit(url).path.lower().endswith("pdf")


def is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment=""))


def domains_of(start_urls: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The sites a source may crawl: its start URLs' hosts, without a leading 'www.'."""
    hosts = (urlsplit(url).hostname or "" for url in start_urls)
    return tuple(sorted({host.removeprefix("www.") for host in hosts if host}))


def within_domains(url: str, domains: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def link_title(text: str) -> str:
    """The link text as a title: whitespace collapsed, '(pdf, 245 kB)' dropped; '' when generic."""
    title = " ".join(text.split())
    title = _SIZE_NOTE.sub("", title).strip()
    return "" if fold_name(title) in _GENERIC_TEXTS else title


def filename_title(url: str) -> str:
    """The last path segment, decoded: '.../Protokoll%20KF%202025-10-28.pdf' -> 'Protokoll KF 2025-10-28.pdf'."""
    path = unquote(urlsplit(url).path).rstrip("/")
    return path.rsplit("/", 1)[-1] or (urlsplit(url).hostname or url)


def redact(url: str) -> str:
    """The URL without any user:password part, for messages and logs."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
