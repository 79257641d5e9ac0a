"""The site is swapped in whole: a reader sees the old site or the new one, never half of one."""

from __future__ import annotations

import os

import pytest

from monitor.app.site.install import SiteInstallError, install_site


def test_each_build_replaces_the_last_through_one_symlink(tmp_path):
    target = tmp_path / "site"
    first = install_site({"index.html": b"one", "feeds/changes.atom": b"<feed/>"}, target)
    assert target.is_symlink() and (target / "index.html").read_bytes() == b"one"
    reader = open(target / "index.html", "rb")  # a reader in the middle of the old site  # noqa: SIM115
    second = install_site({"index.html": b"two"}, target)
    assert (target / "index.html").read_bytes() == b"two" and not (target / "feeds").exists()
    assert reader.read() == b"one"  # still reads what it opened
    reader.close()
    assert not first.exists() and second.exists()
    assert sorted(p.name for p in second.parent.iterdir()) == sorted([".lock", second.name])
    assert os.stat(second).st_mode & 0o755 == 0o755  # a web server running as another user can read it


def test_a_failed_build_leaves_the_published_site_alone(tmp_path):
    target = tmp_path / "site"
    install_site({"index.html": b"good"}, target)
    with pytest.raises(SiteInstallError):
        install_site({"index.html": b"half", "../outside.html": b"x"}, target)
    assert (target / "index.html").read_bytes() == b"good"
    assert not (tmp_path / "outside.html").exists()
    assert len([p for p in (tmp_path / ".site.builds").iterdir() if p.is_dir()]) == 1


def test_a_plain_folder_is_replaced_once_and_a_file_is_refused(tmp_path):
    target = tmp_path / "public"
    target.mkdir()
    (target / "old.html").write_bytes(b"old")
    install_site({"index.html": b"new"}, target)
    assert target.is_symlink() and not (target / "old.html").exists()
    blocker = tmp_path / "blocked"
    blocker.write_text("a file")
    with pytest.raises(SiteInstallError, match="not a folder"):
        install_site({"index.html": b"x"}, blocker)
