"""The sandbox child: every way a parser can go wrong ends as a result, never a hang or a raise."""

from __future__ import annotations

import os
import signal
import time

from crawler.extraction.sandbox import ChildFailure, ChildLimits, run_in_child

LIMITS = ChildLimits(timeout_seconds=10, memory_mb=128)


def test_a_value_comes_back() -> None:
    assert run_in_child(lambda: {"pages": ["å", "ä", "ö"]}, LIMITS).value == {"pages": ["å", "ä", "ö"]}


def test_a_large_value_comes_back_whole() -> None:
    assert len(run_in_child(lambda: "ö" * 5_000_000, LIMITS).value or "") == 5_000_000


def test_a_hang_is_cut_off() -> None:
    started = time.monotonic()

    result = run_in_child(lambda: time.sleep(60), ChildLimits(timeout_seconds=0.3, memory_mb=128))

    assert (result.failure, result.message) == (ChildFailure.TIMEOUT, "timed out after 0.3 s")
    assert time.monotonic() - started < 5


def test_memory_beyond_the_limit_is_refused() -> None:
    result = run_in_child(lambda: bytearray(1024 * 1024 * 1024), LIMITS)

    assert (result.failure, result.message) == (ChildFailure.MEMORY, "exceeded memory limit")


def test_an_exception_is_reported_with_its_type() -> None:
    result = run_in_child(lambda: int("sju"), LIMITS)

    assert result.failure is ChildFailure.EXCEPTION
    assert result.message.startswith("ValueError: invalid literal")


def test_a_crash_is_reported() -> None:
    result = run_in_child(lambda: os.kill(os.getpid(), signal.SIGSEGV), LIMITS)

    assert (result.failure, result.message) == (ChildFailure.CRASH, "parser process died (killed by signal 11)")


def _start_a_program_and_hang(marker: str) -> None:
    import subprocess

    subprocess.Popen(["sleep", "60", marker])
    time.sleep(60)


def _running(marker: str) -> bool:
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker.encode() in handle.read():
                    return True
        except OSError:
            continue
    return False


def test_a_time_out_also_ends_the_programs_the_child_started() -> None:
    marker = f"0.{os.getpid()}{time.monotonic_ns() % 10**6}"  # a unique extra duration for sleep(1)

    result = run_in_child(lambda: _start_a_program_and_hang(marker), ChildLimits(timeout_seconds=1, memory_mb=128))

    assert result.failure is ChildFailure.TIMEOUT
    deadline = time.monotonic() + 5
    while _running(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(marker)
