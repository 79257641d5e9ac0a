"""`kommunvakt review` for issue 14 through the real CLI, a loopback protocol site, SQLite and an SMTP sink:
a weak acceptance is held (never alerted, never the current stance unseen), a stance candidate is listed with
its sentence; approving either alerts as before, rejecting a candidate removes it from the list."""

from __future__ import annotations

import json
from datetime import date

from tests.support.cli import kommunvakt, status_json
from tests.support.config import write_vaggeryd_config as write_config
from tests.support.httpserver import FixtureServer
from tests.support.review_texts import PARTY_SENTENCE, WEAK_ACCEPTANCE_PROTOCOL, WELCOME_SENTENCE
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink


def waiting(config) -> tuple[list[dict], list[dict]]:
    listed = kommunvakt(config, "review", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = [json.loads(line) for line in listed.stdout.splitlines()]
    return ([e for e in entries if e["kind"] == "held_change"], [e for e in entries if e["kind"] == "candidate"])


def stances(config) -> dict[str, str]:
    return {row["municipality_code"]: row["stance"] for row in status_json(config)["municipalities"]}


def test_a_weak_acceptance_is_held_and_a_candidate_listed_until_a_person_approves(tmp_path):
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        config = write_config(tmp_path, server.url("/"), smtp.url())
        site.publish_protocol(f"Protokoll kommunstyrelsen {date.today()}", date.today(), WEAK_ACCEPTANCE_PROTOCOL)
        crawl = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")
        assert crawl.returncode == 0, crawl.stderr
        assert "1 held changes and 1 stance candidates wait for `kommunvakt review`" in crawl.stdout
        assert smtp.messages == []  # a weak acceptance is never alerted by itself
        assert "0665" not in stances(config)

        [held], [candidate] = waiting(config)
        assert (held["municipality_code"], held["new_stance"], held["status"]) == ("0665", "accepted", "held")
        assert held["confidence"] < 0.85 and "accepted" in held["reason"]
        assert " ".join(held["evidence"].split()) == WELCOME_SENTENCE
        assert (candidate["municipality"], candidate["stance"]) == ("Habo", "declined")
        assert " ".join(candidate["evidence"].split()) == PARTY_SENTENCE
        assert candidate["reason"] and candidate["confidence"] < 0.6
        assert candidate["document_url"].startswith(server.url("/")) and candidate["document_title"]

        shown = kommunvakt(config, "review")
        assert shown.returncode == 0, shown.stderr
        assert "Vaggeryd (0665): unknown -> accepted" in shown.stdout and "candidate #" in shown.stdout
        assert "Habo (0643): declined" in " ".join(shown.stdout.split()) and "Centerpartiet i Habo" in shown.stdout

        approved = kommunvakt(config, "review", "--approve-candidate", str(candidate["id"]))
        assert approved.returncode == 0, approved.stderr
        assert "unknown -> declined" in approved.stdout
        [mail] = smtp.messages
        assert "Habo" in mail.text and "declined" in mail.text
        assert stances(config)["0643"] == "declined"
        assert waiting(config)[1] == []

        approved = kommunvakt(config, "review", "--approve", str(held["id"]))
        assert approved.returncode == 0, approved.stderr
        assert len(smtp.messages) == 2 and "accepted" in smtp.messages[1].text and "Vaggeryd" in smtp.messages[1].text
        assert stances(config)["0665"] == "accepted"
        assert waiting(config) == ([], [])

        assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0  # nothing new: no repeat
        assert len(smtp.messages) == 2 and waiting(config) == ([], [])


def test_a_weak_acceptance_in_an_old_protocol_is_held_and_a_rejected_candidate_is_gone(tmp_path):
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        config = write_config(tmp_path, server.url("/"), smtp.url())
        site.publish_protocol("Protokoll kommunstyrelsen 2023-05-04", date(2023, 5, 4), WEAK_ACCEPTANCE_PROTOCOL)
        assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0
        # a first crawl of an old protocol records a baseline silently, but never a weak acceptance
        assert smtp.messages == [] and "0665" not in stances(config)
        [held], [candidate] = waiting(config)
        assert held["new_stance"] == "accepted"

        for args in (["--approve-candidate", "999"], ["--reject-candidate", "999"], ["--approve", "999"]):
            unknown = kommunvakt(config, "review", *args)
            assert unknown.returncode == 2 and "999" in unknown.stderr
        assert kommunvakt(config, "review", "--reject-candidate", str(candidate["id"])).returncode == 0
        assert waiting(config) == ([held], [])
        assert "Centerpartiet" not in kommunvakt(config, "review").stdout
        again = kommunvakt(config, "review", "--approve-candidate", str(candidate["id"]))
        assert again.returncode == 2 and "waits for review" in again.stderr
        assert kommunvakt(config, "review", "--reject", str(held["id"])).returncode == 0
        assert waiting(config) == ([], []) and smtp.messages == [] and "0665" not in stances(config)
