"""Issue 15, packaging: an MIT LICENSE and SPDX metadata built without warnings, every dependency capped, and a
constraints file of the tested versions that agrees with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
import zipfile

from packaging.requirements import Requirement
from packaging.version import Version

from tests.support.building import ROOT, build_wheel

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONSTRAINTS = ROOT / "deploy" / "constraints.txt"


def requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["dev"]]


def pins() -> dict[str, Version]:
    lines = [line.strip() for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()]
    pairs = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {_name(name): Version(version) for name, version in pairs}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def test_the_wheel_says_mit_in_spdx_and_carries_the_license_and_the_build_warns_of_nothing(tmp_path):
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    wheel, output = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())
    assert "License-Expression: MIT" in metadata
    assert not re.search(r"(?i)deprecat", output), [line for line in output.splitlines() if "eprecat" in line]


def test_every_dependency_has_an_upper_cap():
    uncapped = [str(r) for r in requirements() if not any(s.operator in ("<", "<=", "~=", "==") for s in r.specifier)]
    assert uncapped == []


def test_the_constraints_pin_every_dependency_within_pyproject_and_not_the_project_itself():
    pinned = pins()
    assert "kommunvakt" not in pinned
    for requirement in requirements():
        name = _name(requirement.name)
        assert name in pinned, f"{name} is not in deploy/constraints.txt; regenerate it (README)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, str(pinned[name]))


def test_the_container_installs_from_the_constraints():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs and all("-c deploy/constraints.txt" in line for line in installs)
