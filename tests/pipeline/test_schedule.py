"""The `--every` interval parser and the scheduler's clean stop on SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import threading

import pytest

from pipeline.__main__ import main
from pipeline.interval import parse_interval
from pipeline.schedule import run_every


@pytest.mark.parametrize(("text", "seconds"), [("6h", 21600), ("90s", 90), ("30m", 1800), ("1d", 86400),
                                               ("1.5h", 5400), (" 2H ", 7200)])
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["6", "h", "6x", "-1h", "0h", "6 h", "1h30m", ""])
def test_bad_intervals_are_rejected(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="invalid interval"):
        parse_interval(text)


def test_a_bad_interval_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["refresh", "--every", "6x"])
    assert exit_info.value.code == 2
    assert "argument --every: invalid interval '6x'" in capsys.readouterr().err


def test_once_and_every_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["refresh", "--once", "--every", "6h"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_sigterm_stops_the_scheduler_after_the_running_refresh() -> None:
    runs: list[int] = []
    lines: list[str] = []
    before = signal.getsignal(signal.SIGTERM)

    def job() -> int:
        runs.append(1)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the refresh runs
        return 0

    stop = threading.Event()
    assert run_every(21600, job, stop, out=lines.append) == 0  # returns at once, not after 6 hours
    assert runs == [1] and stop.is_set()
    assert lines == ["refresh: SIGTERM received, stopping (a running refresh finishes first)",
                     "refresh: stopped"]
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigint_during_the_wait_stops_it() -> None:
    lines: list[str] = []

    def out(line: str) -> None:
        lines.append(line)
        if "next refresh at" in line:  # printed just before the wait begins
            os.kill(os.getpid(), signal.SIGINT)

    assert run_every(21600, lambda: 3, threading.Event(), out=out) == 0
    assert lines[0].startswith("refresh: exit status 3; next refresh at ")
    assert lines[1:] == ["refresh: SIGINT received, stopping (a running refresh finishes first)",
                         "refresh: stopped"]
