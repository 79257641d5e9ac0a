"""A fixture newsroom on loopback: feeds (RSS/Atom, UTF-8/Latin-1, broken, hostile) and article pages.

    newsroom = Newsroom(tmp_path / "site")
    with FixtureServer(newsroom.root) as server:
        newsroom.build(server.url(""), published=yesterday_morning)
        newsroom.feed_url("svt-rss-utf8.xml")

Feeds are templates in tests/fixtures/press/feeds (see its README); the English seed report becomes two
article pages: SVT's (`/svt/stockholm-says-no.html`) and Mitt i's syndicated copy (`/mitti/stockholm-nej.html`).
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "press"
SEED = Path(__file__).parents[1] / "fixtures" / "seeds" / "press-en-stockholm-says-no-to-coordinator.txt"
SEED_PAGE = "/svt/stockholm-says-no.html"
SEED_COPY_PAGE = "/mitti/stockholm-nej.html"
UMEA_COPIES = ("/svt/umea-skelleftea-nej.html", "/vk/umea-och-skelleftea.html", "/norran/tackar-nej.html")
MISSING_PAGE = "/svt/borttagen-artikel.html"  # linked from the SVT feed; the server has no such page
LATIN1_PAGE = "/vk/umea-och-skelleftea.html"

# The twelve municipalities the seed report says declined (tests/fixtures/seeds/README.md).
SEED_DECLINES = {"0180", "1480", "2510", "2582", "2584", "2523", "2513", "2521", "2505", "2506", "2580", "2514"}
UMEA, SKELLEFTEA = "2480", "2482"


def page_html(site: str, title: str, blocks: list[str], published: str) -> str:
    """An article page shaped like a Swedish news site's: navigation, article, aside, footer."""
    body = "\n".join(f"<h2>{html.escape(b[3:])}</h2>" if b.startswith("## ") else f"<p>{html.escape(b)}</p>"
                     for b in blocks)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{published}"></head>
<body><header><nav><a href="/">Start</a> <a href="/sport">Sport</a> <a href="/kultur">Kultur</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
{body}
</article><aside><h2>Mest läst</h2><ul><li><a href="/a">Trafikolycka på E4</a></li></ul></aside></main>
<footer><p>Ansvarig utgivare: Redaktionen.</p></footer></body></html>
"""


def seed_blocks() -> list[str]:
    """The seed report's lines; the short ones without a full stop are subheadings."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [f"## {line}" if len(line) < 40 and not line.endswith(".") else line for line in lines]


@dataclass
class Newsroom:
    root: Path
    base: str = ""

    def build(self, base: str, published: datetime, updated: datetime | None = None) -> Newsroom:
        """Write pages and feeds; entries are dated `published` (PUB1) and an hour later (PUB2)."""
        self.base = base.rstrip("/")
        shutil.copytree(FIXTURES / "pages", self.root, dirs_exist_ok=True)
        self._write_seed_pages(published)
        self.render_feeds(published, updated)
        return self

    def render_feeds(self, published: datetime, updated: datetime | None = None) -> None:
        later = published + timedelta(hours=1)
        values = {"BASE": self.base, "PUB1_RFC822": format_datetime(published),
                  "PUB1_ISO": published.isoformat(), "PUB2_RFC822": format_datetime(later),
                  "PUB2_ISO": later.isoformat(), "UPDATED_ISO": (updated or later).isoformat()}
        (self.root / "feeds").mkdir(parents=True, exist_ok=True)
        for template in sorted((FIXTURES / "feeds").glob("*.xml")):
            data = template.read_bytes()
            for name, value in values.items():
                data = data.replace(b"{{" + name.encode() + b"}}", value.encode("ascii"))
            (self.root / "feeds" / template.name).write_bytes(data)

    def feed_url(self, name: str) -> str:
        return f"{self.base}/feeds/{name}"

    def url(self, path: str) -> str:
        return self.base + path

    def write_page(self, path: str, text: str, encoding: str = "utf-8") -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode(encoding))

    def _write_seed_pages(self, published: datetime) -> None:
        blocks = seed_blocks()
        stamp = published.isoformat()
        self.write_page(SEED_PAGE, page_html("SVT Nyheter", "Stockholm says no to the government's coordinator",
                                             blocks, stamp))
        copy = ["This article was first published by Mitt i Stockholm and is shared with its partner papers.",
                *blocks]
        self.write_page(SEED_COPY_PAGE, page_html("Mitt i", "Stockholm says no to the coordinator", copy, stamp))
