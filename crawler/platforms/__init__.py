"""Platform adapters: the portals and archives Swedish municipalities publish protocols on.

One module per platform, each a :class:`~crawler.platforms.base.Platform`.  ``PLATFORMS`` is the registry
(a plain dict a test can check); discovery asks it whether a link leads into a known portal
(`for_url`) or whether a page on the municipality's own site is an archive an adapter reads (`for_page`).
"""

from __future__ import annotations

from parsel import Selector

from crawler.platforms.base import FoundProtocol, Listing, Platform, PortalPage, PortalRequest
from crawler.platforms.ciceron import Ciceron
from crawler.platforms.lex2 import Lex2
from crawler.platforms.meetingplus import MeetingPlus
from crawler.platforms.netpublicator import Netpublicator
from crawler.platforms.opengov import OpenGov
from crawler.platforms.pdflist import PdfList
from crawler.platforms.sitevision import SiteVisionArchive

PLATFORMS: dict[str, Platform] = {
    platform.name: platform
    for platform in (MeetingPlus(), Netpublicator(), Ciceron(), Lex2(), OpenGov(), SiteVisionArchive(), PdfList())
}

__all__ = ["PLATFORMS", "FoundProtocol", "Listing", "Platform", "PortalPage", "PortalRequest", "for_page",
           "for_url"]


def for_url(url: str) -> Platform | None:
    """The platform a link leads into, if any."""
    return next((p for p in PLATFORMS.values() if p.recognises(url)), None)


def for_page(url: str, selector: Selector) -> Platform | None:
    """The adapter that reads this page of the municipality's own site better than plain link following."""
    return next((p for p in PLATFORMS.values() if p.recognises_page(url, selector)), None)
