"""A download read once: its table, the readers' notes, and every per-area-and-period result, cached.

:func:`read_download` reads a Talportal or Statistikbank file (or takes a tidy table, or the
bundled figures) once; the :class:`Download` then holds the references, the fields and the size
prior's fits of each area and period, computed the first time they are asked for. Ninety-eight
pages from one download therefore read the file once and fit each area and period once.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from ..errors import ArgumentError, ReaderWarning
from ..io.bundle import describe_sources, load_cases
from ..io.dispatch import read_any
from ..io.tidy_csv import validate_cases
from ..stats.intervals import binomial_ci
from ..table.periods import parse_period
from ..table.schema import NATIONAL_CODE, with_rates
from .field import MIN_FULL, compute_field
from .reference import Reference, choose_reference
from .size import area_units, fit_size_prior, holm, size_priors

__all__ = ["Download", "read_download", "clear_cache", "BUNDLED_LABEL"]

#: the bundled figures, as a page names them
BUNDLED_LABEL = "de tal, der følger med danmark (offentliggjorte dokumenter)"
_READ: dict = {}  # (path, mtime, size) -> Download: a file read once per process


class Download:
    """A tidy table (Hele landet rows included) with its notes and cached results.

    Attributes: ``table`` (with rates), ``notes`` (the readers' warnings, English), ``path`` (the
    file read, or None), ``label`` (the data in Danish: "filen data.csv"), ``bundled`` and
    ``synthetic`` (the file name says SYNTHETIC).

    Examples
    --------
    >>> d = read_download(None)
    >>> d.bundled, d.label.startswith("de tal")
    (True, True)
    >>> d.reference("voksenhandicap", "2024").origin
    'published_earlier'
    """

    def __init__(self, table: pd.DataFrame, *, notes=(), path=None, bundled: bool = False):
        self.table = table
        self.notes = tuple(notes)
        self.path = None if path is None else str(path)
        self.bundled = bundled
        name = Path(self.path).name if self.path else ""
        self.label = BUNDLED_LABEL if bundled else f"filen {name}" if name else "tabellen"
        self.synthetic = "synthetic" in name.lower()
        self._cache: dict = {}

    def __repr__(self) -> str:
        return f"Download({self.path or ('bundled' if self.bundled else 'table')!r}, {len(self.table)} rows)"

    def __getstate__(self):
        """For worker processes: everything but the size prior's fitted models (they do not pickle; refitted on use)."""
        state = dict(self.__dict__)
        state["_cache"] = {k: v for k, v in self._cache.items()
                          if not (isinstance(k, tuple) and k[0] in ("size", "size_priors"))}
        return state

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # ------------------------------------------------------------------ the table

    def rows(self, kommunekode: str) -> pd.DataFrame:
        """The rows of one kommune (or of Hele landet, ``NATIONAL_CODE``)."""
        groups = self._cached("rows", lambda: dict(tuple(self.table.groupby("kommunekode", sort=False))))
        return groups.get(kommunekode, self.table.iloc[:0])

    def kommuner(self) -> pd.DataFrame:
        """kommunekode and kommune of every kommune in the data (not Hele landet), by name."""
        def make():
            u = self.table.loc[self.table["kommunekode"] != NATIONAL_CODE, ["kommunekode", "kommune", "region"]]
            u = u.drop_duplicates("kommunekode")
            return u.iloc[u["kommune"].str.lower().argsort(kind="stable")].reset_index(drop=True)
        return self._cached("kommuner", make)

    def areas(self) -> list[str]:
        """The data's areas, sorted."""
        return self._cached("areas", lambda: sorted(self.table["area"].unique()))

    def latest_period(self, kommunekode: str, area: str) -> str:
        """The kommune's latest period with cases in the area (its latest period when none has cases)."""
        rows = self.rows(kommunekode)
        rows = rows[rows["area"] == area].sort_values("period_start")
        with_cases = rows[rows["n"] > 0]
        return (with_cases if len(with_cases) else rows)["period"].iloc[-1]

    def default_area(self, kommunekode: str) -> str:
        """The kommune's area that most kommuner in the data have (then most cases, then by name)."""
        def make():
            units = self.table[self.table["kommunekode"] != NATIONAL_CODE]
            return units.groupby("area").agg(k=("kommunekode", "nunique"), n=("n", "sum"))
        score = self._cached("area_score", make)
        mine = self.rows(kommunekode)["area"].unique()
        return sorted(mine, key=lambda a: (-score.loc[a, "k"], -score.loc[a, "n"], a))[0]

    def units(self, area: str, period: str) -> pd.DataFrame:
        """The kommuner with cases in the area and period."""
        return self._cached(("units", area, period), lambda: area_units(self.table, area, period))

    def full(self, area: str, period: str) -> bool:
        """At least MIN_FULL kommuner with cases in the area and period."""
        return len(self.units(area, period)) >= MIN_FULL

    def fits(self) -> list[tuple[str, str]]:
        """Every (area, period) of the data that makes a full download, in order."""
        def make():
            t = self.table[(self.table["kommunekode"] != NATIONAL_CODE) & (self.table["n"] > 0)]
            counts = t.groupby(["area", "period"], sort=True).size()
            return [key for key, m in counts.items() if m >= MIN_FULL]
        return self._cached("fits", make)

    def intervals(self, level: float) -> pd.DataFrame:
        """Every row's exact and Wilson interval for the rate and the exact interval of each outcome's share,
        at *level*: one vectorised :func:`danmark.binomial_ci` per quantity, indexed like ``table``."""
        def make():
            t = self.table
            out = pd.DataFrame(index=t.index)
            has = (t["n"] > 0).to_numpy()
            split = has & t["aendret"].notna().to_numpy() & t["hjemvist"].notna().to_numpy()
            for name, rows, count, method in [("exact", has, "omgjort", "exact"), ("wilson", has, "omgjort", "wilson"),
                                              *((o, split, o, "exact") for o in ("stadfaestet", "aendret", "hjemvist"))]:
                out[f"{name}_lower"] = out[f"{name}_upper"] = float("nan")
                if rows.any():
                    ci = binomial_ci(t.loc[rows, count].astype("int64"), t.loc[rows, "n"].astype("int64"), level=level,
                                     method=method)
                    out.loc[rows, f"{name}_lower"], out.loc[rows, f"{name}_upper"] = ci["lower"], ci["upper"]
            return out
        return self._cached(("intervals", float(level)), make)

    def sources(self, keys: tuple[str, ...]) -> pd.DataFrame:
        """:func:`danmark.describe_sources` of *keys*, cached."""
        return self._cached(("sources", keys), lambda: describe_sources(list(keys)))

    # ------------------------------------------------------------------ per area and period

    def reference(self, area: str, period: str) -> Reference:
        """The one reference of the area and period (:func:`danmark.report.reference.choose_reference`)."""
        def make():
            nat = self.rows(NATIONAL_CODE)
            nat = nat[(nat["area"] == area) & (nat["period"] == period)]
            return choose_reference(nat, area, period, parse_period(period)[1], self.label)
        return self._cached(("reference", area, period), make)

    def field(self, area: str, period: str, *, grades: bool = False):
        """The :class:`Field` of the area and period, or None (not a full download, or no reference)."""
        ref = self.reference(area, period)
        if ref.rate is None or not self.full(area, period):
            return None
        with_grades = ("field+grades", area, period)
        if with_grades in self._cache or grades:
            return self._cached(with_grades, lambda: compute_field(self.units(area, period), area, period, ref.rate,
                                                                   grades=True))
        return self._cached(("field", area, period), lambda: compute_field(self.units(area, period), area, period,
                                                                            ref.rate))

    def size_fit(self, area: str, period: str):
        """:func:`fit_size_prior` on the area and period's kommuner (a full download)."""
        return self._cached(("size", area, period), lambda: fit_size_prior(self.units(area, period)))

    def size_priors(self, area: str, period: str, *, reference: float | None, level: float) -> dict:
        """:func:`size_priors` of every kommune in the area and period (a full download), by kommunekode."""
        key = ("size_priors", area, period, reference, float(level))
        return self._cached(key, lambda: size_priors(self.size_fit(area, period), self.units(area, period),
                                                     reference=reference, level=level,
                                                     family=self.size_family().get((area, period))))

    def size_family(self) -> dict:
        """``{(area, period): {"tests": m, "pvalue": Holm-corrected p}}`` over every full area and period."""
        return self._cached("size_family", lambda: _family(
            {key: (lr.pvalue if (lr := self.size_fit(*key)[1]) is not None else None) for key in self.fits()}))

    def adopt(self, *, size_pvalues: dict | None = None, fields: dict | None = None) -> None:
        """Take results computed for this download in another process (the faktaark's workers): the size
        prior's raw LR p-values of every full area and period, and fields by (area, period)."""
        if size_pvalues is not None:
            self._cache.setdefault("size_family", _family(size_pvalues))
        for key, f in (fields or {}).items():
            if f is not None:
                self._cache.setdefault(("field", *key), f)


def _family(pvalues: dict) -> dict:
    adjusted = holm(pvalues)
    m = sum(p is not None for p in adjusted.values())
    return {key: {"tests": m, "pvalue": p} for key, p in adjusted.items()}


def _read_file(path) -> Download:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReaderWarning)
        table = with_rates(read_any(path))
    notes = tuple(str(w.message) for w in caught if issubclass(w.category, ReaderWarning))
    return Download(table, notes=notes, path=path)


def read_download(data) -> Download:
    """Read a download once: a path (Talportal, Statistikbank or tidy CSV), a tidy DataFrame, a
    :class:`Download` (returned as it is) or None (the bundled figures).

    A file is read once per process while it is unchanged (same size and modification time).

    Examples
    --------
    >>> read_download(None) is read_download(None)
    True
    """
    if isinstance(data, Download):
        return data
    if data is None:
        if "bundled" not in _READ:
            _READ["bundled"] = Download(load_cases(), bundled=True)
        return _READ["bundled"]
    if isinstance(data, pd.DataFrame):
        if not {"region", "period_start", "period_end"} <= set(data.columns):
            # a hand-made table (kommune, period, area and counts): checked and completed to the tidy
            # schema, so a missing column or a bad count is a located DataError, not a KeyError
            data = validate_cases(data)
        return Download(with_rates(data))
    if not isinstance(data, str | os.PathLike) or isinstance(data, bytes):
        raise ArgumentError(f"data must be a file path, a DataFrame, a Download or None; got {type(data).__name__}",
                            column="data")
    path = Path(data)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError):  # missing, unreadable or an impossible name: the reader says which
        return _read_file(path)
    if key not in _READ:
        if len(_READ) > 8:
            _READ.clear()
        _READ[key] = _read_file(path)
    return _READ[key]


def clear_cache() -> None:
    """Forget the downloads read in this process (e.g. after patching a model in a test)."""
    _READ.clear()

