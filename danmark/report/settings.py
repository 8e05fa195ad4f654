"""The report's two settings from a command line: ``--level`` and ``--prior-strength``, in Danish.

The ranges are :func:`danmark.report.check_settings`' (the one check the library, the CLI, the
faktaark and the workbook share); here a value outside them is an ``argparse`` error in Danish,
so every command (``report``, ``faktaark``, ``tabel``) says the same thing in one line.
"""

from __future__ import annotations

import argparse

from .._defaults import DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH
from ..errors import ArgumentError
from ..table.words import num
from .kommune import PRIOR_STRENGTH_RANGE, check_settings

__all__ = ["level_arg", "prior_strength_arg", "add_settings"]


def _number(text: str) -> float | None:
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        return None


def level_arg(text: str) -> float:
    """``--level``: a number strictly between 0 and 1 ("0,95" or "0.95").

    Examples
    --------
    >>> level_arg("0,9")
    0.9
    >>> level_arg("95")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --level skal være et tal mellem 0 og 1 (ikke 0 eller 1), fx 0,95; fik '95'
    """
    try:
        return check_settings(_number(text), PRIOR_STRENGTH_RANGE[0])[0]
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"--level skal være et tal mellem 0 og 1 (ikke 0 eller 1), fx 0,95; fik {text!r}") from None


def prior_strength_arg(text: str) -> float:
    """``--prior-strength``: a weight in cases within :data:`PRIOR_STRENGTH_RANGE` ("30", "2,5").

    Examples
    --------
    >>> prior_strength_arg("2,5")
    2.5
    >>> prior_strength_arg("1e9")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --prior-strength skal ligge mellem 0,001 og 1.000.000 sager, fx 30; fik '1e9'
    """
    try:
        return check_settings(0.95, _number(text))[1]
    except ArgumentError:
        lo, hi = PRIOR_STRENGTH_RANGE
        raise argparse.ArgumentTypeError(
            f"--prior-strength skal ligge mellem {num(lo, 3)} og {num(hi, 0)} sager, fx 30; fik {text!r}") from None


def add_settings(parser: argparse.ArgumentParser) -> None:
    """Add ``--prior-strength`` and ``--level`` to a command's *parser* (``report``, ``faktaark``, ``tabel``).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_settings(p)
    >>> vars(p.parse_args(["--level", "0,9"]))
    {'prior_strength': 30.0, 'level': 0.9}
    """
    parser.add_argument("--prior-strength", type=prior_strength_arg, default=DEFAULT_PRIOR_STRENGTH, metavar="S",
                        help=f"forhåndsfordelingens vægt i sager (standard {DEFAULT_PRIOR_STRENGTH:g}; mellem 0,001 "
                        "og 1.000.000)")
    parser.add_argument("--level", type=level_arg, default=DEFAULT_LEVEL, metavar="NIVEAU",
                        help=f"intervallernes niveau (standard {DEFAULT_LEVEL:g}, dvs. 95 %%)")
