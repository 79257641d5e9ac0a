"""Atom feeds of stance changes (RFC 4287): one of all changes, one per county.  Pure; ElementTree escapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from xml.etree import ElementTree as ET

from alerts.labels import labels_for
from monitor.app.site.view import ChangeView, SiteView, web_link

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 200
ID_BASE = "urn:kommunvakt:"  # entry ids stay the same wherever the site is published


def changes_feed(view: SiteView, texts: Mapping[str, str], path: str,
                 county: tuple[str, str] | None = None) -> bytes:
    """The feed at `path` (relative to the site's root) of all changes, or of one county's (code, name)."""
    topic = labels_for(view.language).topic(view.topic)
    changes = [c for c in view.changes if county is None or c.change.municipality_code[:2] == county[0]]
    title = (texts["feed_county_title"].format(county=county[1], topic=topic) if county
             else texts["feed_title"].format(topic=topic))
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": view.language})
    _text(feed, "title", title)
    _text(feed, "id", _feed_id(view, path))
    _text(feed, "updated", _stamp(changes[0].change.recorded_at if changes else view.built_at))
    ET.SubElement(_text(feed, "author", None), "name").text = "kommunvakt"
    _text(feed, "generator", "kommunvakt")
    if view.base_url:
        ET.SubElement(feed, "link", {"rel": "self", "href": view.base_url + path})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": _url(view, path, "changes.html")})
    for change in changes[:MAX_ENTRIES]:
        feed.append(_entry(view, texts, path, change))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(view: SiteView, texts: Mapping[str, str], path: str, item: ChangeView) -> ET.Element:
    change, labels = item.change, labels_for(view.language)
    stance = {s.value: labels.stances[s] for s in labels.stances}
    entry = ET.Element("entry")
    _text(entry, "title", texts["entry_title"].format(municipality=item.municipality,
                                                      old=stance.get(change.old_stance, change.old_stance),
                                                      new=stance.get(change.new_stance, change.new_stance)))
    _text(entry, "id", f"{ID_BASE}change:{view.topic}:{change.id}")
    _text(entry, "updated", _stamp(change.recorded_at))
    _text(entry, "published", _stamp(change.recorded_at))
    page = _url(view, path, f"municipalities/{change.municipality_code}.html")
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(entry, "link", {"rel": "related", "href": web_link(change.document_url)})
    ET.SubElement(entry, "category", {"term": change.new_stance})
    _text(entry, "summary", _summary(texts, item))
    return entry


def _summary(texts: Mapping[str, str], item: ChangeView) -> str:
    change = item.change
    source = texts["entry_source"].format(title=change.document_title or texts["untitled"],
                                          authority=texts[f"authority_{change.authority}"],
                                          date=change.observed_on.isoformat())
    return f"{item.municipality} ({item.county}): «{change.evidence}»\n{source}\n{change.document_url}"


def _text(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _feed_id(view: SiteView, path: str) -> str:
    return view.base_url + path if view.base_url else f"{ID_BASE}feed:{view.topic}:{path}"


def _url(view: SiteView, feed_path: str, target: str) -> str:
    """Absolute with a base URL; else relative to the feed's own folder (readers resolve it)."""
    if view.base_url:
        return view.base_url + target
    depth = feed_path.count("/")
    return "../" * depth + target
