from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_duration
from monitor.domain import EventType, SourceKind, Stance
from tests.support.cli import kommunvakt

GOOD = """
[database]
url = "sqlite:///data/kommunvakt.db"

[crawl]
allow_private_addresses = true
default_sources = false

[[sources]]
municipality = "0665"
kind = "protocols"
start_urls = ["https://www.vaggeryd.se/kommun-och-politik/"]

[[sources]]
municipality = "Göteborg"
start_urls = ["https://goteborg.se/"]
every = "6h"

[[alerts.targets]]
url = "mailto://127.0.0.1:2525?from=kv@example.org&to=news@example.org"

[[alerts.targets]]
name = "chat"
url_env = "KV_CHAT_URL"
events = ["stance_change", "source_health"]
counties = ["Norrbottens län"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kommunvakt.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_keys_from_the_issue_work_as_written(tmp_path):
    config = load_config(write(tmp_path, GOOD), environ={"KV_CHAT_URL": "json://127.0.0.1:9/hook"})
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'kommunvakt.db'}"
    assert config.crawl.allow_private_addresses is True
    vaggeryd, goteborg = config.sources
    assert (vaggeryd.municipality_code, vaggeryd.kind) == ("0665", SourceKind.PROTOCOLS)
    assert goteborg.municipality_code == "1480" and goteborg.every == "6h"
    mail, chat = config.alerts.targets
    assert mail.url.startswith("mailto://127.0.0.1:2525") and mail.events == {EventType.STANCE_CHANGE}
    assert chat.url == "json://127.0.0.1:9/hook" and chat.counties == {"Norrbottens län"}


def test_every_problem_is_reported_at_once_with_where(tmp_path):
    bad = """
[crawl]
allow_private_addresses = "yes"

[[sources]]
municipality = "Atlantis"
kind = "protocols"
start_urls = ["ftp://example.org/"]

[[alerts.targets]]
url_env = "KV_MISSING"
"""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, bad), environ={})
    message = str(caught.value)
    assert len(caught.value.problems) >= 4
    assert "crawl.allow_private_addresses: must be true or false" in message
    assert "unknown municipality 'Atlantis'" in message
    assert "not an http(s) URL" in message
    assert "KV_MISSING is not set" in message
    assert "(line 6)" in message  # sources[0].municipality sits on line 6
    assert str(tmp_path / "kommunvakt.toml") in message


def test_syntax_error_names_the_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[database\nurl = 1"), environ={})


def test_config_path_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None, environ={}).path is None  # built-in defaults
    other = tmp_path / "other.toml"
    other.write_text("[crawl]\ndefault_sources = false\n")
    assert load_config(None, environ={"KOMMUNVAKT_CONFIG": str(other)}).path == other
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.toml", environ={})


def test_default_sources_cover_every_municipality(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None, environ={})
    codes = {s.municipality_code for s in config.sources if s.kind is SourceKind.PROTOCOLS}
    assert len(codes) == 290
    assert config.database_url.endswith("data/kommunvakt.db")


def test_secrets_come_from_env_file(tmp_path):
    (tmp_path / "secrets.env").write_text("KV_CHAT_URL=json://127.0.0.1:9/secret\n")
    text = GOOD.replace("[database]", '[service]\nenv_file = "secrets.env"\n\n[database]')
    config = load_config(write(tmp_path, text), environ={})
    assert config.alerts.targets[1].url == "json://127.0.0.1:9/secret"


@pytest.mark.parametrize("text,seconds", [("30s", 30), ("15m", 900), ("6h", 21600), ("1d", 86400), ("6x", None)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


def test_without_a_database_url_sqlite_lives_in_the_data_dir(tmp_path):
    path = tmp_path / "kommunvakt.toml"
    path.write_text('[service]\ndata_dir = "state"\n', encoding="utf-8")
    assert load_config(str(path)).database_url == f"sqlite:///{tmp_path / 'state' / 'kommunvakt.db'}"


def test_a_data_dir_that_cannot_be_made_is_one_clear_error(tmp_path):
    (tmp_path / "afile").write_text("")
    path = tmp_path / "kommunvakt.toml"
    path.write_text('[service]\ndata_dir = "afile/data"\n[crawl]\ndefault_sources = false\n', encoding="utf-8")
    result = kommunvakt(path, "status")
    assert result.returncode == 1
    assert "cannot create the database's directory" in result.stderr and "Traceback" not in result.stderr


def test_review_thresholds_per_stance_default_to_a_stricter_acceptance(tmp_path):
    alerts = load_config(write(tmp_path, "[crawl]\ndefault_sources = false\n"), environ={}).alerts
    assert alerts.review_thresholds == {Stance.DECLINED: 0.6, Stance.ACCEPTED: 0.85, Stance.NEUTRAL: 0.6}
    assert alerts.review_thresholds[Stance.ACCEPTED] > alerts.review_thresholds[Stance.DECLINED]


def test_the_single_review_threshold_still_works_and_the_table_overrides_per_stance(tmp_path):
    old = load_config(write(tmp_path, "[alerts]\nreview_threshold = 0.7\n"), environ={}).alerts
    assert old.review_threshold == 0.7  # as before: declined and neutral; accepted keeps its stricter default
    assert old.review_thresholds == {Stance.DECLINED: 0.7, Stance.ACCEPTED: 0.85, Stance.NEUTRAL: 0.7}
    both = load_config(write(tmp_path, "[alerts]\nreview_threshold = 0.7\n\n[alerts.review_thresholds]\n"
                                       "accepted = 0.95\nneutral = 0.5\n"), environ={}).alerts
    assert both.review_thresholds == {Stance.DECLINED: 0.7, Stance.ACCEPTED: 0.95, Stance.NEUTRAL: 0.5}


def test_bad_review_thresholds_are_config_errors_with_key_and_line(tmp_path):
    bad = "[alerts]\nreview_threshold = 1.5\n\n[alerts.review_thresholds]\ndeclined = 0.5\naccepted = 2\nmaybe = 0.5\n" \
          "neutral = \"high\"\n"
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, bad), environ={})
    message = str(caught.value)
    assert "alerts.review_threshold: must be between 0 and 1, got 1.5 (line 2)" in message
    assert "alerts.review_thresholds.accepted: must be between 0 and 1, got 2.0 (line 6)" in message
    assert "alerts.review_thresholds.maybe: unknown key (line 7)" in message
    assert "alerts.review_thresholds.neutral: must be a number, got 'high' (line 8)" in message
    assert "declined" not in message
    with pytest.raises(ConfigError, match="alerts.review_thresholds: must be a table"):
        load_config(write(tmp_path, "[alerts]\nreview_thresholds = 0.9\n"), environ={})
