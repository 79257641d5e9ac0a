"""Default protocol sources for all 290 municipalities, and how the config overrides them."""

from __future__ import annotations

from pathlib import Path

from monitor.config import load_config
from monitor.domain import SourceKind
from monitor.municipalities import Registry


def config(tmp_path: Path, text: str = ""):
    path = tmp_path / "kommunvakt.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={})


def test_every_municipality_gets_a_default_source_starting_at_its_website(tmp_path: Path) -> None:
    loaded = config(tmp_path)
    registry = Registry.load()

    protocols = [s for s in loaded.sources if s.kind is SourceKind.PROTOCOLS]

    assert len(protocols) == 290 and all(s.enabled for s in protocols)
    assert {s.municipality_code: s.start_urls for s in protocols} == {m.code: (m.website,) for m in registry}
    assert all(s.key == f"{s.municipality_code}-protocols" and s.max_depth == 3 for s in protocols)


def test_a_configured_source_replaces_the_default_and_can_add_start_urls(tmp_path: Path) -> None:
    loaded = config(tmp_path, """
[crawl]
max_depth = 4

[[sources]]
municipality = "Vaggeryd"
name = "vaggeryd"
start_urls = ["https://www.vaggeryd.se", "https://sammantradesportal.vaggeryd.se/committees"]
""")

    [vaggeryd] = loaded.sources_for("0665")

    assert vaggeryd.key == "vaggeryd" and vaggeryd.max_depth == 4
    assert vaggeryd.start_urls == ("https://www.vaggeryd.se", "https://sammantradesportal.vaggeryd.se/committees")
    assert len([s for s in loaded.sources if s.kind is SourceKind.PROTOCOLS]) == 290


def test_one_municipality_can_be_switched_off_or_all_defaults(tmp_path: Path) -> None:
    loaded = config(tmp_path, """
[[sources]]
municipality = "2584"
enabled = false
""")
    no_defaults = config(tmp_path, """
[crawl]
default_sources = false
""")

    assert loaded.sources_for("2584") == [] and loaded.sources_for("2510") != []
    assert len([s for s in loaded.sources if s.enabled and s.kind is SourceKind.PROTOCOLS]) == 289
    assert [s for s in no_defaults.sources if s.kind is SourceKind.PROTOCOLS] == []
