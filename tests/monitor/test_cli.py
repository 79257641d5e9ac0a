"""Issue 15, defect 6: --version, --log-format after second-level commands, a mistyped topic is a config error."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from tests.support.webhook import WebhookReceiver


def kommunvakt(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_version_prints_the_installed_version_and_exits_0(tmp_path):
    result = kommunvakt(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kommunvakt {version('kommunvakt')}"


def test_log_format_json_is_accepted_after_a_second_level_command(tmp_path):
    with WebhookReceiver() as receiver:
        config = tmp_path / "kommunvakt.toml"
        config.write_text(f'[crawl]\ndefault_sources = false\n\n[[alerts.targets]]\nname = "chat"\n'
                          f'url = "{receiver.url()}"\n', encoding="utf-8")
        result = kommunvakt(tmp_path, "--config", str(config), "alerts", "test", "--log-format", "json", "-v")
        assert result.returncode == 0, result.stderr  # was 2: "unrecognized arguments: --log-format json"
        assert "chat" in result.stdout and "delivered" in result.stdout
        assert len(receiver.accepted()) == 1
    logged = [json.loads(line) for line in result.stderr.splitlines()]  # every log line is JSON
    assert all({"time", "level", "message"} <= set(entry) for entry in logged)


def test_a_mistyped_topic_is_a_configuration_error_with_exit_2(tmp_path):
    config = tmp_path / "kommunvakt.toml"
    config.write_text('[crawl]\ndefault_sources = false\n\n[analysis]\ntopic = "atervandrnig"\n', encoding="utf-8")
    result = kommunvakt(tmp_path, "--config", str(config), "status")
    assert result.returncode == 2, result.stderr  # was a TopicError traceback, exit 1
    assert "Traceback" not in result.stderr
    assert "analysis.topic" in result.stderr and "atervandrnig" in result.stderr and "(line 5)" in result.stderr
    assert "shipped topics: atervandring" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing written


def test_a_topic_file_next_to_the_config_is_found(tmp_path):
    from monitor.config import load_config

    shipped = Path(__file__).parents[2] / "monitor" / "data" / "topics" / "atervandring.toml"
    (tmp_path / "mytopic.toml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "kommunvakt.toml"
    config.write_text('[analysis]\ntopic = "mytopic.toml"\n', encoding="utf-8")
    assert load_config(str(config)).topic == str(tmp_path / "mytopic.toml")
