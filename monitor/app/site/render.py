"""The site as files: pure rendering of a SiteView into {relative path: bytes}.

HTML comes from Jinja2 templates with autoescape on, so every text from a crawled document is escaped;
the map is inline SVG (one link per municipality, named for hover and screen readers); feeds and downloads
come from feeds.py and downloads.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from alerts.labels import DISPLAY_ZONE, labels_for
from monitor.app.site import downloads, feeds
from monitor.app.site.labels import texts_for
from monitor.app.site.shapes import map_shapes
from monitor.app.site.view import STANCE_ORDER, MunicipalityView, SiteView, web_link

ASSETS = ("site.css", "table.js", "favicon.svg")
QUOTE_IN_TABLE = 280  # characters; the municipality's page has the whole quote
RECENT_ON_INDEX = 8
INSET_COUNTY = "01"  # Stockholms län


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("monitor.app.site", "templates"),
                      autoescape=select_autoescape(["html", "svg", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["local_time"] = local_time
    env.filters["iso_date"] = iso_date
    env.filters["shorten"] = shorten
    env.filters["web_link"] = web_link
    return env


def render_site(view: SiteView) -> dict[str, bytes]:
    texts = texts_for(view.language)
    files = {"index.html": _page("index.html", view, texts, "", shapes=map_shapes(), stance_order=STANCE_ORDER,
                                 quote_limit=QUOTE_IN_TABLE, recent_limit=RECENT_ON_INDEX, **_inset(view)),
             "changes.html": _page("changes.html", view, texts, "")}
    for municipality in view.municipalities:
        files[municipality_path(municipality)] = _page("municipality.html", view, texts, "../", m=municipality)
    files.update(_feeds(view, texts))
    files.update(_downloads(view))
    files.update(_assets())
    return files


def _inset(view: SiteView) -> dict[str, object]:
    """Stockholm's county enlarged beside the map: its 26 municipalities are too small to click on the whole."""
    inset = [m for m in view.municipalities if m.county_code == INSET_COUNTY]
    return {"inset": inset, "inset_county": inset[0].county if inset else "",
            "inset_box": map_shapes().view_box([m.code for m in inset]) if inset else "0 0 1 1"}


def municipality_path(m: MunicipalityView) -> str:
    return f"municipalities/{m.code}.html"


def _page(template: str, view: SiteView, texts: Mapping[str, str], root: str, **values) -> bytes:
    labels = labels_for(view.language)
    common = {"view": view, "t": texts, "root": root, "topic": labels.topic(view.topic),
              "stance_names": {s.value: labels.stances[s] for s in labels.stances},
              "attribution": map_shapes().attribution}
    return _environment().get_template(template).render(**common, **values).encode("utf-8")


def _feeds(view: SiteView, texts: Mapping[str, str]) -> dict[str, bytes]:
    files = {"feeds/changes.atom": feeds.changes_feed(view, texts, "feeds/changes.atom")}
    for code, name in view.counties():
        path = f"feeds/county-{code}.atom"
        files[path] = feeds.changes_feed(view, texts, path, county=(code, name))
    return files


def _downloads(view: SiteView) -> dict[str, bytes]:
    return {"downloads/stances.csv": downloads.stances_csv(view).encode("utf-8"),
            "downloads/stances.json": downloads.stances_json(view).encode("utf-8"),
            "downloads/history.csv": downloads.history_csv(view).encode("utf-8")}


def _assets() -> dict[str, bytes]:
    folder = resources.files("monitor.app.site").joinpath("assets")
    return {f"assets/{name}": folder.joinpath(name).read_bytes() for name in ASSETS}


def local_time(value: datetime | None, never: str = "") -> str:
    return value.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M") if value else never


def iso_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(DISPLAY_ZONE).date().isoformat()
    return value.isoformat()


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
