"""What would it take? Period sensitivity and the distance from a kommune's count to a reference rate.

Two questions a reviewer asks of one kommune's k reversals in n realitetsbehandlede sager:

* **Which reference?** A count pooled over several years is compared with a national rate that
  moved within the window. The fair reference is the national rates weighted by the kommune's
  own cases per year; when that split is unknown, it lies between the lowest and the highest
  year. :func:`period_references` lists the candidates (each year, each rolling window, the
  pooled mean) and :func:`period_sensitivity` recomputes the comparison for each of them.
* **How far off is it?** Each reversal is 1/n of the rate. :func:`what_it_takes` counts how
  many fewer reversals (decided as stadfæstet instead), or how many hjemvisninger taken out of
  the count (re-classified as if afvist), would bring the rate down to the reference, and with
  a prior strength, how many fewer would make "probably above the reference" a coin toss.

* **A change of practice.** A new principmeddelelse sends back pending cases in every kommune,
  so it raises the national rate as well as the kommune's. :func:`practice_change` shows that the
  kommune's distance from the national rate moves only by the part of the shock that hit it
  *disproportionately*.

All rates are proportions in [0, 1]; the notebooks display them in percent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._defaults import DEFAULT_LEVEL
from .._validate import as_counts, check_k_n, check_level, check_probability, check_real
from ..errors import DataError

__all__ = ["what_it_takes", "period_references", "period_sensitivity", "practice_change"]

_EPS = 1e-9  # a rate equal to the reference counts as "brought down to it"


def _labelled_rates(rates, name: str) -> pd.Series:
    if isinstance(rates, dict):
        rates = pd.Series(rates, dtype=float)
    if not isinstance(rates, pd.Series):
        raise DataError(f"{name} must be a Series or dict of rates labelled by period; got {type(rates).__name__}",
                        column=name)
    if rates.empty:
        raise DataError(f"{name} is empty", column=name)
    values = check_probability(rates.to_numpy(), name)
    return pd.Series(values, index=[str(i) for i in rates.index], name=name)


def what_it_takes(k, n, *, reference, hjemvist=None, strength=None) -> pd.DataFrame:
    """How many reversals stand between each unit's rate and *reference*.

    Parameters
    ----------
    k, n : int or array-like
        Reversed (ændret/ophævet + hjemvist) and realitetsbehandlede sager.
    reference : float or array-like
        The rate to reach (e.g. the national rate), a proportion; one for all units or one each.
    hjemvist : int or array-like, optional
        The units' hjemvisninger; adds ``enough_hjemvist`` (are there enough remands to
        re-classify?).
    strength : float, optional
        Prior strength α + β of a Beta prior with mean *reference*; adds ``prob_above``
        (posterior P(true rate > reference) for the counts as they are) and
        ``fewer_for_even_odds``: the fewest reversals decided as stadfæstet instead that bring
        that probability to 0.5 or below.

    Returns
    -------
    DataFrame
        ``k``, ``n``, ``raw`` (k/n), ``reference``, ``points_per_case`` (1/n: what one
        reversal is worth), ``excess`` (k − n·reference, reversals above what the reference
        rate would give; may be fractional or negative), ``fewer_reversals`` (the fewest
        reversals that, decided as stadfæstet instead, bring k/n to the reference or below;
        0 when already there), ``rate_after_fewer``, ``hjemvist_left_out`` (the fewest
        hjemvisninger that, taken out of the count altogether as if afvist, do the same) and
        ``rate_after_left_out``; plus the optional columns above.

    Examples
    --------
    >>> what_it_takes(10, 14, reference=0.385)[["raw", "excess", "fewer_reversals", "hjemvist_left_out"]].round(3)
         raw  excess  fewer_reversals  hjemvist_left_out
    0  0.714    4.61                5                  8
    >>> what_it_takes([10, 12], [14, 22], reference=0.389, hjemvist=[9, 10])["enough_hjemvist"].tolist()
    [True, True]
    """
    k_arr, n_arr = check_k_n(k, n)
    k_arr, n_arr = np.atleast_1d(k_arr), np.atleast_1d(n_arr)
    if np.any(n_arr == 0):
        raise DataError("n must be positive: a unit without realitetsbehandlede sager has no rate", column="n")
    ref = check_probability(reference, "reference", open_interval=True)
    try:
        ref = np.broadcast_to(ref, k_arr.shape).astype(float)
    except ValueError:
        raise DataError(f"reference must be one rate or one per unit ({k_arr.size})", column="reference") from None
    excess = k_arr - n_arr * ref
    fewer = np.maximum(0, np.ceil(excess - _EPS)).astype(int)
    left_out = np.maximum(0, np.ceil(excess / (1 - ref) - _EPS)).astype(int)
    left_out = np.minimum(left_out, k_arr)
    with np.errstate(invalid="ignore", divide="ignore"):
        after_left = np.where(n_arr - left_out > 0, (k_arr - left_out) / np.maximum(n_arr - left_out, 1), np.nan)
    out = pd.DataFrame({
        "k": k_arr, "n": n_arr, "raw": k_arr / n_arr, "reference": ref, "points_per_case": 1 / n_arr,
        "excess": excess, "fewer_reversals": fewer, "rate_after_fewer": (k_arr - fewer) / n_arr,
        "hjemvist_left_out": left_out, "rate_after_left_out": after_left,
    })
    if hjemvist is not None:
        h = np.atleast_1d(as_counts(hjemvist, "hjemvist"))
        try:
            h = np.broadcast_to(h, k_arr.shape)
        except ValueError:
            raise DataError(f"hjemvist must be one count or one per unit ({k_arr.size})", column="hjemvist") from None
        if np.any(h > k_arr):
            pos = int(np.flatnonzero(h > k_arr)[0])
            raise DataError(f"hjemvist = {h[pos]} exceeds k = {k_arr[pos]}", row=pos, column="hjemvist")
        out["hjemvist"] = h
        out["enough_hjemvist"] = h >= left_out
    if strength is not None:
        s = check_real(strength, "strength", minimum=0, strict=True)
        a0, b0 = ref * s, (1 - ref) * s
        out["prob_above"] = stats.beta.sf(ref, a0 + k_arr, b0 + n_arr - k_arr)
        even = []
        for ki, ni, ai, bi, ri in zip(k_arr, n_arr, a0, b0, ref, strict=True):
            j = np.arange(ki + 1)
            p = stats.beta.sf(ri, ai + ki - j, bi + ni - ki + j)
            even.append(int(j[p <= 0.5 + _EPS][0]) if np.any(p <= 0.5 + _EPS) else -1)
        out["fewer_for_even_odds"] = even
    return out


def period_references(rates, *, weights=None, window: int = 2) -> pd.Series:
    """Candidate reference rates for a count pooled over several periods.

    Parameters
    ----------
    rates : Series or dict
        National rate per period (proportions), labelled by period, oldest first. Periods
        without a figure are left out by the caller.
    weights : Series, dict or sequence, optional
        Relative weight of each period in the pooled reference (e.g. the kommune's cases per
        year, or the length of each period: 0.5 for a half year). Default: equal.
    window : int
        Length of the rolling windows (in periods); 0 leaves them out.

    Returns
    -------
    Series
        Named ``reference``: one row per period (its own rate), one per rolling window
        ("2020–2021": the mean of its periods), ``"lowest"`` and ``"highest"`` (the bracket
        within which the fair reference lies whatever the kommune's split of cases over the
        periods) and ``"pooled"`` (the weighted mean).

    Examples
    --------
    >>> period_references({"2020": 0.424, "2021": 0.343, "2022": 0.389}).round(4).to_dict()
    {'2020': 0.424, '2021': 0.343, '2022': 0.389, '2020–2021': 0.3835, '2021–2022': 0.366, 'lowest': 0.343, 'highest': 0.424, 'pooled': 0.3853}
    """
    r = _labelled_rates(rates, "rates")
    if weights is None:
        w = np.ones(len(r))
    else:
        if isinstance(weights, dict | pd.Series):
            weights = pd.Series(weights, dtype=float)
            weights.index = [str(i) for i in weights.index]
            missing = r.index.difference(weights.index)
            if len(missing):
                raise DataError(f"weights have no value for period {missing[0]!r}", column="weights")
            weights = weights.reindex(r.index)
        w = check_real(weights, "weights", minimum=0, scalar=False)
        if w.size != len(r):
            raise DataError(f"weights must have one value per period ({len(r)}); got {w.size}", column="weights")
        if w.sum() <= 0:
            raise DataError("weights must not all be zero", column="weights")
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
        raise DataError(f"window must be a whole number >= 0; got {window!r}", column="window")
    out = dict(r.items())
    if 1 < window <= len(r):
        for i in range(len(r) - window + 1):
            part = r.iloc[i:i + window]
            out[f"{part.index[0]}–{part.index[-1]}"] = float(part.mean())
    out["lowest"] = float(r.min())
    out["highest"] = float(r.max())
    out["pooled"] = float(np.average(r.to_numpy(), weights=w))
    return pd.Series(out, name="reference", dtype=float)


def period_sensitivity(k, n, references, *, strength=None, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """One unit's k of n against each candidate reference rate.

    Parameters
    ----------
    k, n : int
        The unit's reversals and realitetsbehandlede sager over the whole window.
    references : Series or dict
        Candidate reference rates, labelled (e.g. from :func:`period_references`).
    strength : float, optional
        Prior strength α + β of a Beta prior centred on each reference; adds the shrunk
        ``estimate``, its ``lower``/``upper`` equal-tailed interval at *level*, and
        ``prob_above`` = P(true rate > reference | data).
    level : float
        Interval level.

    Returns
    -------
    DataFrame
        Indexed by the references' labels: ``reference``, ``raw``, ``difference`` (raw −
        reference), ``excess`` (k − n·reference), ``p_value`` (exact one-sided
        P(X ≥ k | reference)), ``fewer_reversals`` (see :func:`what_it_takes`) and the
        optional columns.

    Examples
    --------
    >>> period_sensitivity(10, 14, {"2020": 0.424, "2021": 0.343}, strength=30)[["p_value", "prob_above"]].round(3)
                     p_value  prob_above
    reference_label
    2020               0.027       0.890
    2021               0.005       0.945
    """
    k_arr, n_arr = check_k_n(k, n)
    if k_arr.size != 1:
        raise DataError("period_sensitivity takes one unit's k and n", column="k")
    ki, ni = int(k_arr.ravel()[0]), int(n_arr.ravel()[0])
    if ni == 0:
        raise DataError("n must be positive", column="n")
    level = check_level(level)
    refs = _labelled_rates(references, "references")
    p = refs.to_numpy()
    out = pd.DataFrame({
        "reference": p, "raw": ki / ni, "difference": ki / ni - p, "excess": ki - ni * p,
        "p_value": stats.binom.sf(ki - 1, ni, p),
    }, index=refs.index)
    same = np.repeat(ki, len(p)), np.repeat(ni, len(p))
    out["fewer_reversals"] = what_it_takes(*same, reference=np.clip(p, _EPS, 1 - _EPS))["fewer_reversals"].to_numpy()
    if strength is not None:
        s = check_real(strength, "strength", minimum=0, strict=True)
        a1, b1 = p * s + ki, (1 - p) * s + ni - ki
        tail = (1 - level) / 2
        out["estimate"] = a1 / (a1 + b1)
        out["lower"] = stats.beta.ppf(tail, a1, b1)
        out["upper"] = stats.beta.isf(tail, a1, b1)
        out["prob_above"] = stats.beta.sf(p, a1, b1)
    out.index.name = "reference_label"
    return out


def practice_change(affected, *, ratio=1.0, rate=None, reference=None) -> pd.DataFrame:
    """Remands caused by a new principmeddelelse, taken out of a kommune's rate and the national rate.

    A change of practice reaches every kommune with pending cases. If it caused remands in a share
    *affected* of all realitetsbehandlede sager nationally, and in *ratio* times that share of the
    kommune's, then counting those remands as stadfæstet instead lowers the national rate by
    ``affected`` and the kommune's by ``ratio · affected``: the kommune's distance from the national
    rate changes by ``(ratio − 1) · affected`` only. With ``ratio = 1`` (hit in proportion to its
    pending cases) its position does not move at all.

    Parameters
    ----------
    affected : float or sequence of float
        Share(s) of all cases nationally remanded because of the change, proportions in [0, 1).
    ratio : float or sequence of float
        How many times the national share hit the kommune (1 = in proportion), at least 0.
    rate, reference : float, optional
        The kommune's observed rate and the observed national rate; add the rates without the
        change and the gap before and after.

    Returns
    -------
    DataFrame
        One row per (affected, ratio): ``affected``, ``ratio``, ``national_shift`` (= affected),
        ``kommune_shift`` (= ratio · affected), ``gap_change`` (= (ratio − 1) · affected: how much
        of the kommune's excess over the national rate the change explains); with *rate* and
        *reference* also ``rate_without``, ``reference_without``, ``gap`` and ``gap_without``.
        Rates are clipped at 0.

    Examples
    --------
    >>> practice_change([0.05], ratio=[1, 2], rate=0.6, reference=0.5)[["ratio", "gap", "gap_without"]].round(3)
       ratio  gap  gap_without
    0    1.0  0.1         0.10
    1    2.0  0.1         0.05
    """
    a = check_real(affected, "affected", minimum=0, scalar=False)
    if np.any(a >= 1):
        raise DataError(f"affected must be a share below 1; got {a[a >= 1][0]!r}", column="affected")
    r = check_real(ratio, "ratio", minimum=0, scalar=False)
    grid_a, grid_r = (g.ravel() for g in np.meshgrid(a, r, indexing="ij"))
    out = pd.DataFrame({"affected": grid_a, "ratio": grid_r, "national_shift": grid_a,
                        "kommune_shift": grid_r * grid_a, "gap_change": (grid_r - 1) * grid_a})
    if (rate is None) != (reference is None):
        raise DataError("give both rate and reference, or neither", column="rate" if rate is None else "reference")
    if rate is not None:
        kr = float(check_probability(rate, "rate"))
        ref = float(check_probability(reference, "reference"))
        out["rate_without"] = np.clip(kr - out["kommune_shift"], 0, 1)
        out["reference_without"] = np.clip(ref - out["national_shift"], 0, 1)
        out["gap"] = kr - ref
        out["gap_without"] = out["rate_without"] - out["reference_without"]
    return out
