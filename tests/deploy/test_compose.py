"""deploy/compose.yaml: PostgreSQL, the broker, the object store, the daemon and workers that scale."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from monitor.config import load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_database_broker_objects_daemon_and_workers(compose):
    services = compose["services"]
    assert {"db", "broker", "objects", "kommunvakt", "worker"} <= set(services)
    assert services["worker"]["command"][-1] == "worker"
    assert services["kommunvakt"]["depends_on"]["broker"] == {"condition": "service_healthy"}


def test_the_worker_service_can_be_scaled(compose):
    worker = compose["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker  # both would clash between replicas
    assert not any(":" in str(v) and not str(v).endswith(":ro") for v in worker.get("volumes", [])), \
        "a worker keeps no state of its own on a named volume"


def test_the_compose_config_asks_for_workers_postgresql_and_the_object_store():
    environ = {"KOMMUNVAKT_DATABASE_URL": "postgresql+psycopg://kommunvakt:x@db/kommunvakt",
               "KOMMUNVAKT_BROKER_URL": "amqp://kommunvakt:y@broker:5672//"}
    config = load_config(DEPLOY / "kommunvakt.compose.toml", environ=environ)
    assert config.workers is not None and config.workers.broker_url.endswith("@broker:5672//")
    assert config.raw_location == "s3://kommunvakt/files/raw"
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    assert {"KOMMUNVAKT_DATABASE_URL", "KOMMUNVAKT_BROKER_URL", "AWS_ACCESS_KEY_ID"} <= {
        line.split("=", 1)[0] for line in example.splitlines() if "=" in line}


def compose_command() -> list[str] | None:
    """`docker compose` (the plugin), else Debian's `docker-compose`; either checks a file without an engine."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_docker_compose_accepts_the_file(tmp_path):
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")
    folder = tmp_path / "deploy"
    shutil.copytree(DEPLOY, folder)
    shutil.copy(folder / ".env.example", folder / ".env")  # what the README tells an operator to do first
    result = subprocess.run([*command, "-f", str(folder / "compose.yaml"), "config", "--quiet"],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "a",
                                                                 "AWS_SECRET_ACCESS_KEY": "b"})
    assert result.returncode == 0, result.stderr
    broken = (folder / "compose.yaml").read_text(encoding="utf-8").replace("services:", "services:\n  - not a map", 1)
    (folder / "compose.yaml").write_text(broken, encoding="utf-8")
    refused = subprocess.run([*command, "-f", str(folder / "compose.yaml"), "config", "--quiet"],
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert refused.returncode != 0  # the check does read the file
