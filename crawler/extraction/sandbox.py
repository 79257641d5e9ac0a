"""Run one function in a killable child process with a time and a memory limit.

Used for parsers that must never take the crawler down with them: a hanging
or exploding document costs at most `timeout_seconds` and `memory_mb`, and
the caller always gets a :class:`ChildResult` back (this module never raises
for what the child does).
"""

from __future__ import annotations

import enum
import faulthandler
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_MB = 1024 * 1024
_REAP_SECONDS = 5.0


@dataclass(frozen=True)
class ChildLimits:
    timeout_seconds: float
    memory_mb: int  # address space the function may add on top of what the process already maps


class ChildFailure(enum.StrEnum):
    TIMEOUT = "timeout"
    MEMORY = "memory"
    EXCEPTION = "exception"  # the function raised; `message` says what
    CRASH = "crash"  # the child died without an answer (signal, abort, os._exit)


@dataclass(frozen=True)
class ChildResult(Generic[T]):
    value: T | None = None
    failure: ChildFailure | None = None
    message: str = ""  # for EXCEPTION: "ExceptionType: text"; otherwise a readable reason

    @property
    def ok(self) -> bool:
        return self.failure is None


def run_in_child(function: Callable[[], T], limits: ChildLimits) -> ChildResult[T]:
    """Call `function()` in a forked child; return its value or why there is none."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(function, sender, limits), daemon=True)
    try:
        process.start()
    except OSError as exc:  # no memory or process slots left for a child
        receiver.close()
        return ChildResult(failure=ChildFailure.CRASH, message=f"could not start the parser process: {exc}")
    finally:
        sender.close()
    _own_group(process.pid)
    try:
        return _await_answer(process, receiver, limits)
    finally:
        receiver.close()
        _reap(process)


def _await_answer(process: Any, receiver: Connection, limits: ChildLimits) -> ChildResult[Any]:
    if not receiver.poll(limits.timeout_seconds):
        return ChildResult(failure=ChildFailure.TIMEOUT, message=f"timed out after {limits.timeout_seconds:g} s")
    try:
        kind, payload = receiver.recv()
    except (EOFError, OSError):
        process.join(_REAP_SECONDS)
        return _died(process.exitcode)
    return _answer(kind, payload)


def _answer(kind: str, payload: Any) -> ChildResult[Any]:
    if kind == "ok":
        return ChildResult(value=payload)
    if kind == "memory":
        return ChildResult(failure=ChildFailure.MEMORY, message="exceeded memory limit")
    return ChildResult(failure=ChildFailure.EXCEPTION, message=str(payload))


def _died(exitcode: int | None) -> ChildResult[Any]:
    if exitcode is not None and exitcode < 0:
        how = f"killed by signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    return ChildResult(failure=ChildFailure.CRASH, message=f"parser process died ({how})")


def _reap(process: Any) -> None:
    if process.is_alive():
        _kill_group(process.pid)  # the child and any program it started (pdftoppm, tesseract)
    process.join(_REAP_SECONDS)


def _own_group(pid: int) -> None:
    """Also set from the parent, so a kill right after start already finds the group."""
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass  # the child did it first, or is gone already


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --- in the child -------------------------------------------------------------------------------


def _child_main(function: Callable[[], Any], sender: Connection, limits: ChildLimits) -> None:
    faulthandler.disable()  # a parser's crash is reported as a result, not as the parent's stack on stderr
    os.setpgid(0, 0)  # its own process group, so a kill on time-out also ends the programs it started
    _limit_resources(limits)
    try:
        answer: tuple[str, Any] = ("ok", function())
    except MemoryError:
        answer = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides what it means
        answer = ("exception", f"{type(exc).__name__}: {exc}"[:500])
    _send(sender, answer)


def _send(sender: Connection, answer: tuple[str, Any]) -> None:
    try:
        sender.send(answer)
    except MemoryError:
        _send_small(sender, ("memory", None))
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable value
        _send_small(sender, ("exception", f"cannot return the result: {type(exc).__name__}: {exc}"[:500]))
    finally:
        sender.close()


def _send_small(sender: Connection, answer: tuple[str, Any]) -> None:
    try:
        sender.send(answer)
    except Exception:  # noqa: BLE001 - nothing left to try; the parent sees a crash
        os._exit(3)


def _limit_resources(limits: ChildLimits) -> None:
    mapped = _mapped_bytes()
    if mapped is not None:
        _set_limit(resource.RLIMIT_AS, mapped + limits.memory_mb * _MB)
    # A backstop if the parent dies and nobody is left to kill us.
    _set_limit(resource.RLIMIT_CPU, int(limits.timeout_seconds) + 5)


def _set_limit(which: int, value: int) -> None:
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(which, (value, hard))
    except (ValueError, OSError):
        pass  # cannot lower it further here; the time limit still holds


def _mapped_bytes() -> int | None:
    """The child's current virtual size (what it inherited from the parent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
