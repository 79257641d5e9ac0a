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
