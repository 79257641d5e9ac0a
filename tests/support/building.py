"""Building kommunvakt's wheel from a copy of the sources (nothing is written into the checkout)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGES = ("monitor", "crawler", "storage", "alerts")


def build_wheel(work: Path) -> tuple[Path, str]:
    """The wheel and the build's output; the test venv's setuptools builds it (no network)."""
    source = work / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation",
                             "-w", str(work / "wheels"), str(source)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = (work / "wheels").glob("kommunvakt-*.whl")
    return wheel, result.stdout + result.stderr
