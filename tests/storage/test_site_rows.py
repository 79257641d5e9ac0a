"""storage.site_rows on SQLite and PostgreSQL: public changes in the order they were recorded, press reports."""

from __future__ import annotations

from monitor.app.service import open_service
from monitor.config import load_config
from storage.site_rows import site_rows
from tests.support.readers_site import GOTLAND_ERROR, HOSTILE, record_handful, write_config


def test_site_rows_hold_public_changes_sources_and_press(database_url, tmp_path):
    config = load_config(write_config(tmp_path, extra=f'\n[database]\nurl = "{database_url}"\n'))
    service = open_service(config)
    try:
        record_handful(service)
        with service.database.transaction() as session:
            rows = site_rows(session, "atervandring")
    finally:
        service.close()
    assert [(c.municipality_code, c.new_stance, c.status) for c in rows.changes] == [
        ("2584", "neutral", "baseline"), ("0665", "declined", "announced"), ("2584", "accepted", "announced"),
        ("1280", "declined", "announced")]  # Stockholm's held change is not public
    assert rows.changes[-1].evidence == HOSTILE and rows.changes[-1].recorded_at.tzinfo is not None
    assert {s.municipality_code for s in rows.stances} == {"0665", "2584", "1280"}
    assert [(p.municipality_code, p.outlet) for p in rows.press] == [("2584", "SVT Nyheter")]
    gotland = next(s for s in rows.sources if s.key == "0980-protocols")
    assert (gotland.last_outcome, gotland.last_error) == ("failed", GOTLAND_ERROR)
