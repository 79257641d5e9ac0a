"""Issue 2's whole path: a fixture municipality site on loopback -> crawl -> PDF -> analysis -> email."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from tests.support.cli import kommunvakt, status_json
from tests.support.config import write_vaggeryd_config
from tests.support.seeds import VAGGERYD_SEED


def test_new_protocol_with_a_decline_arrives_as_one_email(tmp_path, site, smtp):
    site, server = site
    config = write_vaggeryd_config(tmp_path, server.url("/"), smtp.url())

    first = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")
    assert first.returncode == 0, first.stdout + first.stderr
    assert smtp.messages == []  # the first crawl is a baseline
    initial_pdfs = site.pdf_paths()
    assert all(server.requests(path) == 1 for path in initial_pdfs)

    body = VAGGERYD_SEED.read_text(encoding="utf-8")
    new = site.publish_protocol(f"Protokoll kommunfullmäktige {date.today().isoformat()}", date.today(), body)
    second = kommunvakt(config, "crawl", "--municipality", "0665")
    assert second.returncode == 0, second.stdout + second.stderr
    (mail,) = smtp.messages
    text = mail.subject + "\n" + (mail.text or mail.html)
    assert "Vaggeryd" in text and "Jönköpings län" in text
    assert "declined" in text
    assert "tackade nej till inbjudan" in text
    assert server.url(new.path) in text

    third = kommunvakt(config, "crawl", "--municipality", "VAGGERYD")
    assert third.returncode == 0, third.stdout + third.stderr
    assert len(smtp.messages) == 1
    # downloaded once each; a changed listing only rechecks its known PDFs conditionally (304, no body)
    assert all(server.full_responses(path) == 1 for path in [*initial_pdfs, new.path])

    state = status_json(config)
    (vaggeryd,) = state["municipalities"]
    assert vaggeryd["municipality_code"] == "0665" and vaggeryd["stance"] == "declined"
    assert "nej" in vaggeryd["evidence"] and vaggeryd["document_url"] == server.url(new.path)
    assert state["sources"] == []  # nothing failing


def test_first_crawl_of_an_old_decline_builds_a_silent_baseline(tmp_path, site, smtp):
    site, server = site
    site.publish_protocol("Protokoll kommunfullmäktige 2025-06-10", date(2025, 6, 10),
                          VAGGERYD_SEED.read_text(encoding="utf-8"))
    config = write_vaggeryd_config(tmp_path, server.url("/"), smtp.url())
    assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0
    assert smtp.messages == []
    assert status_json(config)["municipalities"][0]["stance"] == "declined"


def test_unreachable_start_url_is_a_recorded_failure(tmp_path, smtp):
    config = write_vaggeryd_config(tmp_path, "http://127.0.0.1:9/", smtp.url())
    result = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")
    assert result.returncode == 1
    (source,) = status_json(config)["sources"]
    assert source["source"] == "vaggeryd-protocols" and source["last_outcome"] == "failed"
    assert "127.0.0.1:9" in source["last_error"]


def test_404_listing_and_malformed_pdf_are_recorded_and_good_documents_kept(tmp_path, site, smtp):
    site, server = site
    config = write_vaggeryd_config(tmp_path, server.url("/"), smtp.url())
    assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0

    broken = site.publish_file("protokoll-ks-2025-11-04.pdf", b"%PDF-1.4\n1 0 obj <<< broken", "Protokoll KS",
                               date(2025, 11, 4))
    result = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")
    assert result.returncode == 1
    state = status_json(config)
    (source,) = state["sources"]
    assert broken.path in source["last_error"]
    assert any(p["url"] == server.url(broken.path) for p in state["documents_with_errors"])

    stored = document_count(config)
    server.set_status(site.listing_path, 404)
    server.set_status("/", 404)
    result = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")
    assert result.returncode == 1
    (source,) = status_json(config)["sources"]
    assert "404" in source["last_error"]
    assert document_count(config) == stored  # nothing already stored was lost


def document_count(config: Path) -> int:
    with sqlite3.connect(config.parent / "data" / "kommunvakt.db") as db:
        return db.execute("select count(*) from documents").fetchone()[0]


def test_newcomer_path(tmp_path):
    help_ = kommunvakt(None, "--help", cwd=tmp_path)
    assert help_.returncode == 0 and "crawl" in help_.stdout and "status" in help_.stdout
    empty = kommunvakt(None, "status", cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert empty.returncode == 0, empty.stderr
    assert "0 municipalities known" in empty.stdout
    assert (tmp_path / "data" / "kommunvakt.db").exists()


def test_unknown_municipality_and_bad_config_exit_2(tmp_path):
    config = write_vaggeryd_config(tmp_path, "http://127.0.0.1:9/", None)
    result = kommunvakt(config, "crawl", "--municipality", "Vagerydd")
    assert result.returncode == 2 and "Vaggeryd" in result.stderr
    config.write_text("[crawl]\nmax_depth = 'deep'\n[[sources]]\nkind = 'weird'\n")
    result = kommunvakt(config, "status")
    assert result.returncode == 2
    assert "crawl.max_depth" in result.stderr and "sources[0].kind" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing written
