"""Issue 15, defect 2: a crawl child runs the installed code, whatever folder the user runs it from."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from monitor.app.crawling import Run, child_command
from monitor.config import load_config
from tests.support.building import build_wheel
from tests.support.config import write_vaggeryd_config as write_config
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

pytestmark = pytest.mark.slow


def decoy_package(folder: Path) -> Path:
    """A `crawler/` package of someone else's, as in a checkout or a project folder."""
    package = folder / "crawler"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("DECOY = True\n", encoding="utf-8")
    return folder


def test_the_child_does_not_put_the_working_directory_on_its_path(tmp_path):
    config = load_config(str(write_config(tmp_path, "http://127.0.0.1:9/", None)))
    command = child_command(config, [Run(config.sources[0], 1)])
    probe = command[:command.index("-m")] + ["-c", "import crawler, sys; print(crawler.__file__); print(sys.path)"]
    result = subprocess.run(probe, capture_output=True, text=True, cwd=decoy_package(tmp_path / "cwd"), check=True)
    crawler_file, path = result.stdout.splitlines()
    assert Path(crawler_file).parent.parent != tmp_path / "cwd"
    assert Path(crawler_file).parent.joinpath("run.py").exists()
    assert "''" not in path and str(tmp_path / "cwd") not in path


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """kommunvakt built as a wheel and installed NON-editable into a fresh venv, as in the container.

    Its dependencies come from the test venv through a plain path line, so the test venv's .pth files (the
    editable install's finder) are not run in it.
    """
    work = tmp_path_factory.mktemp("installed")
    wheel, _output = build_wheel(work)
    pip = [sys.executable, "-m", "pip"]
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    Path(site_packages, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([*pip, "--python", str(python), "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    return venv


def test_a_non_editable_install_crawls_from_a_folder_with_a_crawler_package(tmp_path, installed):
    site = SiteVisionSite(tmp_path / "site").build()
    cwd = decoy_package(tmp_path / "project")
    with FixtureServer(site.root) as server:
        config = write_config(tmp_path, server.url("/"), None)
        result = subprocess.run([installed / "bin" / "kommunvakt", "--config", str(config), "crawl",
                                 "--municipality", "Vaggeryd"], capture_output=True, text=True, cwd=cwd, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No module named" not in result.stdout + result.stderr
    where = subprocess.run([installed / "bin" / "python", "-c", "import crawler; print(crawler.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(installed) in where  # the installed copy, not the checkout
