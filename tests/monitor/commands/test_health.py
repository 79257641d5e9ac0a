"""Issue 15, health: the daemon's heartbeat and systemd notifications, `kommunvakt health` on a real daemon."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import kommunvakt
from tests.support.config import write_config as write_config_file

pytestmark = pytest.mark.slow


def write_config(tmp_path: Path) -> Path:
    return write_config_file(tmp_path, daemon={"heartbeat_every_s": 1, "shutdown_grace_s": 2},
                             extra="\n[health]\nheartbeat_max_age_s = 4\n")


@pytest.fixture
def notify_socket(tmp_path):
    """A unix datagram socket standing where systemd's would be ($NOTIFY_SOCKET)."""
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(0.5)
        yield path, sock


def receive(sock: socket.socket, until: set[str], timeout: float = 60) -> list[str]:
    messages: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until <= set(messages):
        try:
            messages.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
    return messages


def test_the_daemon_notifies_systemd_and_health_follows_its_heartbeat(tmp_path, notify_socket):
    config = write_config(tmp_path)
    path, sock = notify_socket
    before = kommunvakt(config, "health")
    assert before.returncode == 1 and "cannot read the database" in before.stdout  # no daemon has run here

    env = {**os.environ, "NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "2000000"}
    daemon = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--config", str(config), "run"], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        messages = receive(sock, {"READY=1", "WATCHDOG=1"})
        assert "READY=1" in messages and "WATCHDOG=1" in messages, messages
        more = receive(sock, {"never"}, timeout=3)
        assert more.count("WATCHDOG=1") >= 2  # every second: at least twice per WatchdogSec

        alive = kommunvakt(config, "health", "--json")
        assert alive.returncode == 0, alive.stdout + alive.stderr
        report = json.loads(alive.stdout)
        assert report["healthy"] and report["heartbeat"]["age_s"] < 4 and report["problems"] == []
        assert f"pid {daemon.pid}" in report["heartbeat"]["holder"]

        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        assert "STOPPING=1" in receive(sock, {"STOPPING=1"}, timeout=5)
    finally:
        if daemon.poll() is None:
            daemon.kill()

    stopped = time.monotonic()
    dead = kommunvakt(config, "health")
    while dead.returncode == 0 and time.monotonic() - stopped < 20:  # until the heartbeat is older than 4 s
        dead = kommunvakt(config, "health")
    assert dead.returncode == 1 and time.monotonic() - stopped >= 3
    assert "unhealthy" in dead.stdout and "last heartbeat is" in dead.stdout and "limit 4 s" in dead.stdout
