"""Putting a built site in place atomically: write it aside, then swap a symlink, so a reader never sees half.

The site folder (e.g. ``data/site``) is a symlink to the newest build in ``data/.site.builds/``; the swap is
one ``rename`` of a new symlink over the old one.  Older builds are removed after the swap (a file a reader
has open stays readable until closed).  One build at a time per folder (a lock file), so the daemon and a
manual `kommunvakt publish` cannot remove each other's build.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


class SiteInstallError(RuntimeError):
    """The site folder cannot be replaced (e.g. it is a file, or not writable)."""


def install_site(files: Mapping[str, bytes], target: Path) -> Path:
    """Write `files` (relative path -> bytes) as the new content of `target`; returns the build folder."""
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise SiteInstallError(f"site folder {target} exists and is not a folder")
    builds = target.parent / f".{target.name}.builds"
    builds.mkdir(parents=True, exist_ok=True)
    with _locked(builds / ".lock"):
        build = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
        try:
            _write(files, build)
            _swap(build, target, builds)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        _remove_other_builds(builds, keep=build)
    return build


class _locked:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "a")  # noqa: SIM115 - held for the with-block
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _write(files: Mapping[str, bytes], build: Path) -> None:
    os.chmod(build, 0o755)  # mkdtemp makes it private; a web server must read it
    for relative, content in files.items():
        path = build / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise SiteInstallError(f"refusing to write outside the site: {relative}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _swap(build: Path, target: Path, builds: Path) -> None:
    link = builds / f"{build.name}.link"
    os.symlink(os.path.relpath(build, target.parent), link)
    if target.is_dir() and not target.is_symlink():  # a plain folder from elsewhere: moved aside, once
        target.rename(builds / f"{build.name}.previous")
    os.replace(link, target)


def _remove_other_builds(builds: Path, keep: Path) -> None:
    for entry in builds.iterdir():
        if entry != keep and entry.name != ".lock":
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
