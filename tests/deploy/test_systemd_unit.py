import json
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[2] / "deploy" / "kommunvakt.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_unit_verifies(tmp_path):
    # verify checks that ExecStart exists: point it at a stand-in executable in a copy of the unit
    executable = tmp_path / "kommunvakt"
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    unit = tmp_path / "kommunvakt.service"
    unit.write_text(UNIT.read_text().replace("/opt/kommunvakt/.venv/bin/kommunvakt", str(executable)))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    problems = [line for line in result.stderr.splitlines() if "kommunvakt.service" in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_unit_is_hardened():
    text = UNIT.read_text()
    for setting in ("User=kommunvakt", "StateDirectory=kommunvakt", "ProtectSystem=strict", "Restart=on-failure",
                    "EnvironmentFile=-/etc/kommunvakt/env", "NoNewPrivileges=true"):
        assert setting in text


def _exec_start_arguments() -> list[str]:
    (line,) = [line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart=")]
    executable, *arguments = line.removeprefix("ExecStart=").split()
    assert executable.endswith("/kommunvakt")
    return arguments


def _container_arguments() -> list[str]:
    dockerfile = (UNIT.parent / "Dockerfile").read_text().splitlines()
    entrypoint = json.loads([line for line in dockerfile if line.startswith("ENTRYPOINT")][-1].split(None, 1)[1])
    command = json.loads([line for line in dockerfile if line.startswith("CMD")][-1].split(None, 1)[1])
    assert entrypoint[-1] == "kommunvakt"
    return command


@pytest.mark.parametrize("arguments", [_exec_start_arguments(), _container_arguments()], ids=["systemd", "container"])
def test_the_service_commands_are_ones_kommunvakt_accepts(arguments):
    from monitor.cli import build_parser
    from monitor.commands.run import run

    parsed = build_parser().parse_args(arguments)  # exits 2 on arguments it does not know
    assert parsed.handler is run and parsed.log_format == "json"


def test_log_format_is_accepted_after_the_command_too():
    from monitor.cli import build_parser

    assert build_parser().parse_args(["run", "--log-format", "json"]).log_format == "json"
    assert build_parser().parse_args(["run"]).log_format == "text"
