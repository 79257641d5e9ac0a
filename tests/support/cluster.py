"""Crawl workers on real parts, for tests and benchmarks/workers.py: a farm of slow fixture municipality sites
on 127.0.0.1, a fresh PostgreSQL database, a RabbitMQ queue of its own, an S3 server (moto) on loopback, and
`kommunvakt worker` processes as nodes, each in its own working directory.

    farm = Farm.build(tmp_path / "farm", sites=22, declines=3, delay_s=0.2)
    with ObjectStore() as s3, Cluster(tmp_path, farm, postgres_url, s3) as cluster:
        cluster.start_node("node-1"); cluster.start_node("node-2")
        cluster.hand_out_all()        # the daemon's own code: Daemon.crawl_job per source
        cluster.wait_until_done()
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite, example_body

RABBITMQ_URL = os.environ.get("KOMMUNVAKT_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
FIRST_CODES = 22  # how far into the registry the farm's municipalities go, at most (see Farm.build)


def broker_problem(url: str = RABBITMQ_URL) -> str | None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means: no broker here
        return f"no RabbitMQ reachable at 127.0.0.1:5672 ({type(exc).__name__})"


class SlowFixtureServer(FixtureServer):
    """A fixture site that takes `delay_s` to answer each request, as a busy municipal site does."""

    def __init__(self, root: Path, delay_s: float):
        super().__init__(root)
        self.delay_s = delay_s

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        base, delay = super().handler_class(), self.delay_s

        class Slow(base):  # type: ignore[misc, valid-type]
            def _serve(self, send_body: bool) -> None:
                time.sleep(delay)
                super()._serve(send_body)

        return Slow


def decline_body(name: str, day: date) -> str:
    """A protocol in which the municipality declines the coordinator's invitation (written for these tests)."""
    return example_body(day) + f"""

§ 9 Inbjudan från den nationella samordnaren för återvandring (KS/{day.year}:77)

Kommunfullmäktige i {name} beslutar att tacka nej till inbjudan från den nationella samordnaren för
återvandring. Kommunen avstår från att delta i samordnarens arbete."""


@dataclass
class Farm:
    sites: list[tuple[str, SiteVisionSite]]  # (kommunkod, site)
    declining: list[str]  # kommunkoder whose newest protocol declines
    delay_s: float
    servers: dict[str, FixtureServer] = field(default_factory=dict)

    @classmethod
    def build(cls, root: Path, sites: int, declines: int, delay_s: float) -> Farm:
        from monitor.municipalities import Registry

        municipalities = [m for m in Registry.load() if not m.ambiguous][:sites]
        built, declining = [], []
        for index, municipality in enumerate(municipalities):
            site = SiteVisionSite(root / municipality.code, municipality=municipality.name).build()
            if index < declines:
                today = date.today()
                site.publish_protocol(f"Protokoll kommunfullmäktige {today.isoformat()}", today,
                                      decline_body(municipality.name, today))
                declining.append(municipality.code)
            built.append((municipality.code, site))
        return cls(built, declining, delay_s)

    @contextmanager
    def serving(self) -> Iterator[Farm]:
        with ExitStack() as stack:
            for code, site in self.sites:
                self.servers[code] = stack.enter_context(SlowFixtureServer(site.root, self.delay_s))
            yield self
        self.servers.clear()

    def source_keys(self) -> list[str]:
        return [f"{code}-protocols" for code, _site in self.sites]

    def documents(self) -> int:
        return sum(len(site.pdf_paths()) for _code, site in self.sites)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ObjectStore:
    """An S3-compatible server on loopback (moto in server mode) with one bucket; the environment to reach it."""

    def __init__(self, bucket: str = "kommunvakt-test"):
        self.bucket = bucket
        self.port = free_port()
        self._server = None

    @property
    def environment(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.port}"}

    def __enter__(self) -> ObjectStore:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        self.client().create_bucket(Bucket=self.bucket)
        return self

    def __exit__(self, *_exc) -> None:
        self._server.stop()

    def client(self):
        import boto3

        env = self.environment
        return boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name=env["AWS_DEFAULT_REGION"],
                            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])

    def keys(self, prefix: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}


class Cluster:
    """The config every node and the daemon share, the nodes as processes, and the daemon's code in this one."""

    def __init__(self, root: Path, farm: Farm, database_url: str, store: ObjectStore | None,
                 hook_url: str | None = None, lease_s: int = 5, batch_size: int = 4, broker_url: str = RABBITMQ_URL):
        self.root, self.farm, self.database_url, self.store = root, farm, database_url, store
        self.queue = f"kommunvakt-test-{uuid.uuid4().hex[:8]}"
        self.broker_url, self.lease_s, self.hook_url, self.batch_size = broker_url, lease_s, hook_url, batch_size
        self.nodes: dict[str, subprocess.Popen] = {}
        self.config_text = self._config_text()

    def _config_text(self) -> str:
        files = f'\n[storage]\nfiles_url = "s3://{self.store.bucket}/kv"\n' if self.store else ""
        hook = (f'\n[[alerts.targets]]\nname = "newsroom"\nurl = "{self.hook_url}"\n'
                f'events = ["stance_change"]\n') if self.hook_url else ""
        sources = "".join(f'\n[[sources]]\nname = "{code}-protocols"\nmunicipality = "{code}"\n'
                          f'start_urls = ["{self.farm.servers[code].url("/")}"]\nevery = "7d"\n'
                          for code, _site in self.farm.sites)
        return f"""[database]
url_env = "KV_TEST_DATABASE_URL"

[workers]
broker_url_env = "KV_TEST_BROKER_URL"
queue = "{self.queue}"
lease_seconds = {self.lease_s}
batch_size = {self.batch_size}

[crawl]
allow_private_addresses = true
default_sources = false
download_delay = 0
concurrent_requests_per_host = 2
timeout_seconds = 300
{files}{hook}{sources}"""

    @property
    def environment(self) -> dict[str, str]:
        env = {**os.environ, "KV_TEST_DATABASE_URL": self.database_url, "KV_TEST_BROKER_URL": self.broker_url}
        return {**env, **(self.store.environment if self.store else {})}

    def write_config(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kommunvakt.toml"
        path.write_text(self.config_text, encoding="utf-8")
        return path

    def load_config(self):
        from monitor.config import load_config

        return load_config(self.write_config(self.root / "daemon"), environ=self.environment)

    def start_node(self, name: str) -> subprocess.Popen:
        """`kommunvakt worker --name NAME` in a working directory of its own; its log in NAME/worker.log."""
        folder = self.root / name
        config = self.write_config(folder)
        log = (folder / "worker.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--config", str(config), "worker",
                                    "--name", name], cwd=folder, env=self.environment, stdout=log,
                                   stderr=subprocess.STDOUT)
        self.nodes[name] = process
        return process

    def node_log(self, name: str) -> str:
        return (self.root / name / "worker.log").read_text(encoding="utf-8", errors="replace")

    def kill_node(self, name: str) -> None:
        os.kill(self.nodes[name].pid, signal.SIGKILL)
        self.nodes[name].wait(30)

    def stop(self) -> None:
        for process in self.nodes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.nodes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        self._delete_queue()

    def _delete_queue(self) -> None:
        from kombu import Connection

        try:
            with Connection(self.broker_url, connect_timeout=3) as connection:
                connection.default_channel.queue_delete(self.queue)
        except Exception:  # noqa: BLE001 - the queue may not exist
            pass

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
