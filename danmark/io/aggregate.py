"""Pool periods and areas into one row per kommune.

Municipalities argue about pooled figures: Solrød's "71 % on 14 cases" covers
2020 to the first half of 2023 and several paragraphs of the voksenhandicap
area. :func:`aggregate` sums the tidy table's counts over periods and/or areas
and labels the result, refusing pools that would count a decision twice.

It lives with the readers because it checks its input with their
vectorised validation (:func:`.tidy_csv.tidy_frame`).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ..errors import DataError
from ..table.periods import parse_period
from ..table.periods import period_label as _span_label
from ..table.schema import CASE_COLUMNS, COUNT_COLUMNS
from .tidy_csv import tidy_frame

__all__ = ["aggregate", "MissingPeriodsWarning"]


class MissingPeriodsWarning(UserWarning):
    """Some kommuner have no row for some of the pooled periods (read as zero decisions)."""


_BY = {"kommunekode": "kommunekode", "kommune": "kommunekode", "period": "period", "area": "area"}
# Danmarkskort areas that lie inside another: pooling them would count cases twice
_INSIDE = {"boernehandicap": "socialomraadet", "voksenhandicap": "socialomraadet"}
_LAW_CODE = re.compile(r"^\s*(\d+(?:\.\d+)*)\s")


def _as_list(value, what: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    try:
        out = [str(v) for v in value]
    except TypeError:
        raise DataError(f"{what} must be a string or a list of strings, got {value!r}") from None
    if not out:
        raise DataError(f"{what} is empty")
    return out


def _select_periods(df: pd.DataFrame, periods) -> pd.DataFrame:
    if periods is None:
        return df
    if isinstance(periods, str):
        label, start, end = parse_period(periods, column="periods")
        sel = df[(df["period_start"] >= start) & (df["period_end"] <= end)]
        if sel.empty:
            raise DataError(f"no rows lie within period {label!r}", column="periods")
        return sel
    wanted = [parse_period(p, column="periods")[0] for p in _as_list(periods, "periods")]
    _require_present(wanted, df["period"], "period(s)", "periods")
    return df[df["period"].isin(wanted)]


def _require_present(wanted, column: pd.Series, what: str, argument: str) -> None:
    """Raise DataError listing the requested values that *column* does not hold."""
    have = set(column)
    absent = [w for w in wanted if w not in have]
    if absent:
        raise DataError(
            f"{what} {', '.join(map(repr, absent))} not in the table; it has "
            f"{', '.join(map(repr, sorted(have)[:12]))}",
            column=argument,
        )


def _select_areas(df: pd.DataFrame, areas) -> pd.DataFrame:
    if areas is None:
        return df
    wanted = [a.strip() for a in _as_list(areas, "areas")]
    _require_present(wanted, df["area"], "area(s)", "areas")
    return df[df["area"].isin(wanted)]


def _check_overlaps(df: pd.DataFrame) -> None:
    """Within one kommune and area, pooled periods must not overlap ("2022" with "2022Q4")."""
    s = df.sort_values(["kommunekode", "area", "period_start", "period_end"], kind="stable")
    grp = [s["kommunekode"], s["area"]]
    prev_end = s.groupby(grp, sort=False)["period_end"].cummax().groupby(grp, sort=False).shift()
    hit = (s["period_start"] <= prev_end).to_numpy()
    if hit.any():
        pos = int(np.flatnonzero(hit)[0])
        row = s.iloc[pos]
        earlier = s.iloc[:pos]
        other = earlier[
            (earlier["kommunekode"] == row["kommunekode"])
            & (earlier["area"] == row["area"])
            & (earlier["period_end"] >= row["period_start"])
        ].iloc[0]
        raise DataError(
            f"cannot pool overlapping periods {other['period']!r} and {row['period']!r} "
            f"(kommune {row['kommune']!r}, area {row['area']!r}): the same decisions would "
            "be counted twice; choose one with periods=[...]",
            column="period",
        )


def _check_nested_areas(labels: list[str]) -> None:
    """Pooled areas must not contain one another (law level "1 X" with paragraph "1.9 ...")."""
    codes = {lab: m.group(1) for lab in labels if (m := _LAW_CODE.match(lab))}
    for a, ca in codes.items():
        for b, cb in codes.items():
            if a != b and cb.startswith(ca + "."):
                raise DataError(
                    f"cannot pool area {a!r} with {b!r}: the first contains the second, so "
                    "its cases would be counted twice; choose with areas=[...]",
                    column="area",
                )
    for inner, outer in _INSIDE.items():
        if inner in labels and outer in labels:
            raise DataError(
                f"cannot pool area {outer!r} with {inner!r}: {inner} cases are part of "
                f"{outer}, so they would be counted twice; choose with areas=[...]",
                column="area",
            )


def _missing_periods(df: pd.DataFrame, keys: list[str]) -> list[tuple[str, list[str]]]:
    """Per output group, the pooled periods its rows do not cover, in group order.

    Coverage is by dates, not labels: quarters 2022Q1-Q4 cover "2022", and a
    "2022" row covers the quarters others report.
    """
    spans = df[["period", "period_start", "period_end"]].drop_duplicates("period")
    spans = spans.sort_values(["period_start", "period_end"], kind="stable")
    if len(spans) < 2:
        return []
    start = spans["period_start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    stop = spans["period_end"].to_numpy().astype("datetime64[D]").astype(np.int64) + 1
    bounds = np.unique(np.concatenate([start, stop]))
    seg_a, seg_b = np.searchsorted(bounds, start), np.searchsorted(bounds, stop)
    nseg = len(bounds) - 1
    which = pd.Index(spans["period"]).get_indexer(df["period"])
    grouped = df.groupby([df[k] for k in keys], sort=False)
    g = grouped.ngroup().to_numpy()
    ng = int(g.max()) + 1
    # each group's covered elementary segments, by a difference array
    diff = np.zeros((ng, nseg + 1), dtype=np.int64)
    np.add.at(diff, (g, seg_a[which]), 1)
    np.add.at(diff, (g, seg_b[which]), -1)
    uncovered = np.cumsum(diff, axis=1)[:, :nseg] <= 0
    gaps = np.concatenate([np.zeros((ng, 1), dtype=np.int64), np.cumsum(uncovered, axis=1)], axis=1)
    missing = (gaps[:, seg_b] - gaps[:, seg_a]) > 0  # groups x pooled periods
    hit = np.flatnonzero(missing.any(axis=1))
    if hit.size == 0:
        return []
    first = grouped[["kommune", "area"]].first().reset_index(drop=True)
    labels = spans["period"].to_numpy()
    out = []
    for i in hit.tolist():
        name = first["kommune"].iloc[i] + (f" / {first['area'].iloc[i]}" if "area" in keys else "")
        out.append((name, [str(x) for x in labels[missing[i]]]))
    return out


def _warn_missing(missing, ngroups: int, by_area: bool) -> None:
    what = "kommune × area groups" if by_area else "kommuner"
    listed = "; ".join(f"{name} ({', '.join(periods)})" for name, periods in missing[:10])
    more = f"; and {len(missing) - 10} more" if len(missing) > 10 else ""
    warnings.warn(
        f"{len(missing)} of {ngroups} {what} have no row for some of the pooled periods, which "
        f"are counted as zero decisions: {listed}{more}. The agencies' tables leave out empty "
        "cells, but a period can also be missing because it was not published or not "
        "downloaded; to pool only periods every kommune has, pass periods=[...]",
        MissingPeriodsWarning,
        stacklevel=3,
    )


def _span(df: pd.DataFrame, period_label):
    """Start, end and label of the pooled periods; a gap needs an explicit label."""
    start, end = df["period_start"].min(), df["period_end"].max()
    spans = df[["period_start", "period_end"]].drop_duplicates().sort_values("period_start")
    reach = spans["period_end"].cummax().shift()
    gap = spans["period_start"] > reach + pd.Timedelta(days=1)
    if period_label is None:
        if gap.any():
            i = int(np.flatnonzero(gap.to_numpy())[0])
            after = pd.Timestamp(reach.iloc[i]) + pd.Timedelta(days=1)
            before = pd.Timestamp(spans["period_start"].iloc[i]) - pd.Timedelta(days=1)
            raise DataError(
                f"the pooled periods leave a gap from {after:%Y-%m-%d} to {before:%Y-%m-%d}, "
                "so a span label would claim time the table does not cover; pass "
                "period_label=... to name the pool yourself",
                column="period",
            )
        return start, end, _span_label(start, end)
    try:
        _, s, e = parse_period(period_label)
    except DataError:
        return start, end, str(period_label)
    if (s, e) != (start, end):
        raise DataError(
            f"period_label {period_label!r} covers {s:%Y-%m-%d} to {e:%Y-%m-%d} but the pooled "
            f"rows cover {start:%Y-%m-%d} to {end:%Y-%m-%d}",
            column="period",
        )
    return start, end, parse_period(period_label)[0]


def aggregate(
    cases: pd.DataFrame,
    *,
    by="kommunekode",
    periods=None,
    areas=None,
    area_label: str | None = None,
    period_label: str | None = None,
) -> pd.DataFrame:
    """Sum the tidy table's counts over periods and/or areas, one row per group.

    Parameters
    ----------
    cases : DataFrame
        The tidy table (:data:`danmark.CASE_COLUMNS`); it is validated first.
    by : str or list of str, default "kommunekode"
        What stays apart: ``"kommunekode"`` (always; ``"kommune"`` means the
        same) plus optionally ``"period"`` and/or ``"area"``. Everything not in
        *by* is pooled: the default pools all periods and all areas into one
        row per kommune.
    periods : None, str or list of str
        None: every row. A list: exactly these period labels (any spelling
        :func:`danmark.periods.parse_period` reads). A str: every row whose
        period lies within that span, e.g. ``"2020-2023H1"``.
    areas : None, str or list of str
        None: every area; otherwise exactly these.
    area_label : str, optional
        Label for pooled areas; default: the one area, or the areas joined
        with " + " in order of appearance (the same label for every kommune).
    period_label : str, optional
        Label for pooled periods; default the canonical label of the pooled
        span (:func:`danmark.periods.period_label`), the same for every kommune.

    Returns
    -------
    DataFrame
        The tidy table, one row per group in order of first appearance.
        ``stadfaestet``, ``aendret`` and ``hjemvist`` are sums; ``afvist`` is
        the sum, or <NA> when any pooled row has <NA> (a partial sum would
        understate it); ``period_start``/``period_end`` span the pooled
        periods; ``source`` joins the distinct source keys with "+".

    Raises
    ------
    DataError
        Overlapping periods within a kommune and area ("2022" with "2022Q4"),
        areas that contain one another ("1 Serviceloven" with "1.9 ...",
        "socialomraadet" with "boernehandicap"/"voksenhandicap"), pooled
        periods with a gap (unless *period_label* is given), requested periods
        or areas that are not in the table, and invalid tables.

    Warns
    -----
    MissingPeriodsWarning
        When periods are pooled and some kommune (or kommune × area, with
        ``by`` including ``"area"``) has no row for some of the pooled
        periods; the warning names them and the periods.

    Notes
    -----
    A kommune with no row for some pooled period gets the same span label as
    the others: the agencies' tables leave out empty cells, so a missing row
    is read as no decisions in that period. Because a period can also be
    missing from an incomplete download, a :class:`MissingPeriodsWarning`
    lists the kommuner and periods concerned.

    Examples
    --------
    Made-up numbers for one kommune, pooled over years and a half-year:

    >>> from danmark.io import validate_cases
    >>> raw = pd.DataFrame({"kommune": "Solrød",
    ...     "period": ["2020", "2021", "2022", "2023H1"], "area": "voksenhandicap",
    ...     "stadfaestet": [1, 2, 0, 1], "aendret": [0, 1, 0, 0],
    ...     "hjemvist": [3, 2, 2, 2], "afvist": [0, 1, 0, 0], "source": "made_up"})
    >>> pooled = aggregate(validate_cases(raw))
    >>> pooled[["kommune", "period", "stadfaestet", "aendret", "hjemvist", "afvist"]]
      kommune       period  stadfaestet  aendret  hjemvist  afvist
    0  Solrød  2020-2023H1            4        1         9       1
    """
    if not isinstance(cases, pd.DataFrame):
        raise DataError(f"expected the tidy table as a DataFrame, got {type(cases).__name__}")
    keys = []
    for b in _as_list(by, "by"):
        if b not in _BY:
            raise DataError(f"by={b!r} is not one of 'kommunekode', 'period', 'area'", column="by")
        keys.append(_BY[b])
    keys = ["kommunekode"] + [k for k in ("period", "area") if k in keys]
    pool_periods, pool_areas = "period" not in keys, "area" not in keys
    if area_label is not None and not pool_areas:
        raise DataError("area_label names pooled areas, but by keeps areas apart", column="area_label")
    if period_label is not None and not pool_periods:
        raise DataError("period_label names pooled periods, but by keeps periods apart", column="period_label")
    # the table is validated by the readers' vectorised checks
    df = tidy_frame(cases, row_offset=0)
    df = df[CASE_COLUMNS + (["omgjort"] if "omgjort" in df.columns else [])]
    df = _select_areas(_select_periods(df, periods), areas)
    area_names = list(dict.fromkeys(df["area"]))
    if pool_periods:
        _check_overlaps(df)
        start, end, plabel = _span(df, period_label)
        missing = _missing_periods(df, keys)
    if pool_areas:
        _check_nested_areas(area_names)
        alabel = area_label.strip() if area_label is not None else " + ".join(area_names)
        if not alabel:
            raise DataError("area_label must not be empty", column="area_label")

    group = [df[k] for k in keys]
    g = df.groupby(group, sort=False)
    first = g[["kommunekode", "kommune", "region", "period", "period_start", "period_end", "area"]].first()
    # a pooled ændret/hjemvist is unknown where any pooled row's split is (then omgjort is summed)
    counted = COUNT_COLUMNS + (["omgjort"] if "omgjort" in df.columns else [])
    sums = g[counted].sum(min_count=1) if "omgjort" in df.columns else g[counted].sum()
    if "omgjort" in df.columns:
        sums[["aendret", "hjemvist"]] = sums[["aendret", "hjemvist"]].where(
            ~df[["aendret", "hjemvist"]].isna().groupby(group, sort=False).any())
    afvist = g["afvist"].sum().astype("Int64").mask(df["afvist"].isna().groupby(group, sort=False).any())
    source = g["source"].agg(lambda s: "+".join(dict.fromkeys(s)))
    out = first.reset_index(drop=True)
    for c in COUNT_COLUMNS:
        out[c] = sums[c].to_numpy(dtype=np.int64) if sums[c].notna().all() else pd.array(sums[c], dtype="Int64")
    out["afvist"] = pd.array(afvist.array, dtype="Int64")
    out["source"] = source.to_numpy()
    if pool_periods:
        out["period"] = plabel
        out["period_start"] = start
        out["period_end"] = end
    if pool_areas:
        out["area"] = alabel
    if "omgjort" in df.columns:
        out["omgjort"] = pd.array(sums["omgjort"].to_numpy(), dtype="Int64")
        if out[["aendret", "hjemvist"]].notna().all().all():
            out = out.drop(columns="omgjort")
            for c in ("aendret", "hjemvist"):
                out[c] = out[c].astype(np.int64)
    out = out[CASE_COLUMNS + (["omgjort"] if "omgjort" in out.columns else [])]
    out["period_start"] = out["period_start"].astype(df["period_start"].dtype)
    out["period_end"] = out["period_end"].astype(df["period_end"].dtype)
    if pool_periods and missing:
        _warn_missing(missing, len(out), by_area=not pool_areas)
    return out
