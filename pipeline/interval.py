"""`--every` values: a positive number with an s, m, h or d suffix (`90s`, `15m`, `6h`, `1d`)."""

from __future__ import annotations

import argparse
import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_interval(text: str) -> float:
    """Seconds in `text`, e.g. '6h' -> 21600; raises argparse.ArgumentTypeError on anything else."""
    match = _PATTERN.fullmatch(text.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"invalid interval {text!r}: use a number with s, m, h or d, e.g. 30m or 6h")
    seconds = float(match.group(1)) * UNITS[match.group(2)]
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"invalid interval {text!r}: must be more than zero")
    return seconds
