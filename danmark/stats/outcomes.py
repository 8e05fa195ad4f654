"""Stadfæstet, ændret or hjemvist: the three-way split of a kommune's decisions.

An omgørelsesprocent lumps together decisions Ankestyrelsen changed
(ændret/ophævet) and decisions it sent back to the kommune (hjemvist). With
few cases the split is uncertain. :func:`outcome_split` gives the
Dirichlet–multinomial posterior of the three shares:

    (stadfæstet, ændret, hjemvist) share ~ Dirichlet(prior + counts).

Every quantity reported is exact, no sampling needed: each share, and the sum
ændret + hjemvist (the omgørelse share), has a Beta marginal; and
``P(hjemvist share > ændret share)`` equals
``P(Beta(a_hjemvist, a_aendret) > 1/2)`` because, given the two together,
the hjemvist fraction of them is ``Beta(a_hjemvist, a_aendret)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_LEVEL
from .._special import beta_ppf, beta_sf
from .._validate import align, as_counts, check_level, check_probability, check_real
from ..errors import ArgumentError, DataError

__all__ = ["outcome_split", "reclassify_hjemvist", "OUTCOMES"]

#: the rows reported per unit, in this order; "omgjort" = aendret + hjemvist
OUTCOMES = ("stadfaestet", "aendret", "hjemvist", "omgjort")
_COUNTS = ("stadfaestet", "aendret", "hjemvist")


def _check_prior(prior) -> np.ndarray:
    arr = check_real(prior, "prior", minimum=0, strict=True, scalar=False)
    if arr.size != 3:
        raise ArgumentError(
            f"prior must be three positive numbers (stadfaestet, aendret, hjemvist); got {prior!r}",
            column="prior",
        )
    return arr


def outcome_split(
    stadfaestet,
    aendret=None,
    hjemvist=None,
    *,
    prior=(1, 1, 1),
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Posterior shares of stadfæstet, ændret, hjemvist and omgjort per unit.

    Parameters
    ----------
    stadfaestet, aendret, hjemvist : array-like or Series of int
        Counts per unit. Or pass a DataFrame with these three columns (the
        tidy table) as the first argument and leave the others out.
    prior : three positive numbers
        Dirichlet prior for (stadfæstet, ændret, hjemvist); the default
        (1, 1, 1) is uniform over the three-way split.
    level : float
        Coverage of the equal-tailed intervals.

    Returns
    -------
    DataFrame
        Long format, four rows per unit in the order of :data:`OUTCOMES`,
        indexed by the caller's index (repeated; positions 0, 1, ... for
        arrays). For a DataFrame input the caller's columns come first.
        Columns: ``outcome``; ``count`` (for "omgjort": ændret + hjemvist);
        ``n`` (stadfæstet + ændret + hjemvist); ``raw`` (count / n, NaN when
        n = 0); ``estimate`` (posterior mean); ``lower``, ``upper`` (Beta
        quantiles at ``(1 ∓ level)/2``); ``level``; ``p_hjemvist_gt_aendret``
        — the unit's posterior probability that its hjemvist share exceeds
        its ændret share (the same on all four rows of a unit). ``attrs``
        records the Dirichlet ``prior``.

    Examples
    --------
    >>> out = outcome_split([105], [5], [19])   # Ankestyrelsen's worked example
    >>> out[["outcome", "count", "raw", "estimate", "lower", "upper"]].round(3)
              outcome  count    raw  estimate  lower  upper
    unit
    0     stadfaestet    105  0.814     0.803  0.731  0.866
    0         aendret      5  0.039     0.045  0.017  0.087
    0        hjemvist     19  0.147     0.152  0.096  0.217
    0         omgjort     24  0.186     0.197  0.134  0.269
    >>> round(float(out["p_hjemvist_gt_aendret"].iloc[0]), 4)
    0.998
    """
    frame = None
    if isinstance(stadfaestet, pd.DataFrame):
        if aendret is not None or hjemvist is not None:
            raise DataError("pass either a table with the three count columns or three arrays, not both")
        frame = stadfaestet
        missing = [c for c in _COUNTS if c not in frame.columns]
        if missing:
            raise DataError(f"the table lacks count column(s) {', '.join(missing)}")
        unknown = frame["aendret"].isna() & frame["hjemvist"].isna()
        if "omgjort" in frame.columns and unknown.any():
            raise DataError(
                f"the ændret/hjemvist split is unknown for {int(unknown.sum())} row(s) (the download holds "
                "only their sum, omgjort): download the Talportal table with 'Ændrede/ophævede sager' and "
                "'Hjemviste sager' ticked, or leave those rows out",
                row=frame.index[int(np.flatnonzero(unknown.to_numpy())[0])], column="aendret",
            )
        columns = [frame[c] for c in _COUNTS]
    else:
        if aendret is None or hjemvist is None:
            raise DataError("outcome_split needs stadfaestet, aendret and hjemvist")
        columns = [stadfaestet, aendret, hjemvist]
    columns = align(*columns, names=_COUNTS)
    counts = [as_counts(col, name).ravel() for col, name in zip(columns, _COUNTS, strict=True)]
    try:
        s, a, h = np.broadcast_arrays(*counts)
    except ValueError:
        raise DataError(
            f"stadfaestet, aendret and hjemvist have different lengths: {[c.size for c in counts]}"
        ) from None
    if s.size == 0:
        raise DataError("no units given")
    alpha = _check_prior(prior)
    level = check_level(level)

    if frame is not None:
        index = frame.index
    else:
        index = next((c.index for c in columns if isinstance(c, pd.Series)), None)
        if index is None or len(index) != s.size:
            index = pd.RangeIndex(s.size, name="unit")

    a_s, a_a, a_h = alpha[0] + s, alpha[1] + a, alpha[2] + h
    total = a_s + a_a + a_h
    n = s + a + h
    tail = (1 - level) / 2
    # one block of rows per outcome: (count, Beta a, Beta b)
    blocks = [
        (s, a_s, total - a_s),
        (a, a_a, total - a_a),
        (h, a_h, total - a_h),
        (a + h, a_a + a_h, a_s),
    ]
    cnt = np.stack([b[0] for b in blocks], axis=1)  # units × outcomes
    beta_a = np.stack([b[1] for b in blocks], axis=1)
    beta_b = np.stack([b[2] for b in blocks], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n[:, None] > 0, cnt / np.where(n > 0, n, 1)[:, None], np.nan)
    p_h_gt_a = beta_sf(0.5, a_h, a_a)

    k = len(OUTCOMES)
    out = pd.DataFrame(
        {
            "outcome": np.tile(np.array(OUTCOMES, dtype=object), s.size),
            "count": cnt.ravel(),
            "n": np.repeat(n, k),
            "raw": share.ravel(),
            "estimate": (beta_a / (beta_a + beta_b)).ravel(),
            "lower": beta_ppf(tail, beta_a, beta_b).ravel(),
            "upper": beta_ppf(1 - tail, beta_a, beta_b).ravel(),
            "level": level,
            "p_hjemvist_gt_aendret": np.repeat(p_h_gt_a, k),
        },
        index=index.repeat(k),
    )
    out["outcome"] = out["outcome"].astype(str)
    if frame is not None:
        caller = frame.loc[:, [c for c in frame.columns if c not in out.columns]]
        caller = caller.iloc[np.repeat(np.arange(len(frame)), k)]
        caller.index = out.index
        out = pd.concat([caller, out], axis=1)
    out.attrs.update(prior=tuple(alpha.tolist()))
    return out


def reclassify_hjemvist(stadfaestet, aendret, hjemvist, *, share, treatment: str = "stadfaestet") -> pd.DataFrame:
    """The omgørelsesprocent if a share of the hjemvisninger were not counted as reversals.

    Some remands follow a change of practice (a new principmeddelelse) after a
    decision that was right when it was made. This asks how the rate moves if a
    share *s* of the hjemvisninger were read differently:

    * ``treatment="stadfaestet"``: they count as upheld, so they stay in n:
      rate = (ændret + (1 − s)·hjemvist) / n;
    * ``treatment="exclude"``: they leave the count, like afviste cases:
      rate = (ændret + (1 − s)·hjemvist) / (n − s·hjemvist).

    Parameters
    ----------
    stadfaestet, aendret, hjemvist : float or array-like
        Counts, or published shares (percent or proportions: only ratios
        matter). Non-negative; broadcast against each other.
    share : float or array-like
        Re-classified share(s) of the hjemvisninger, in [0, 1].
    treatment : {"stadfaestet", "exclude"}

    Returns
    -------
    DataFrame
        One row per unit × share: ``unit`` (position or the Series' index),
        ``share``, ``treatment``, ``n`` (decided cases left), ``omgjort`` (may
        be fractional: an expected count under the assumption, not data) and
        ``rate``.

    Examples
    --------
    National børnehandicap 2019 (15.6 % ændret, 35.0 % hjemvist, 49.4 % stadfæstet):

    >>> reclassify_hjemvist(49.4, 15.6, 35.0, share=[0, 0.5, 1])[["share", "rate"]].round(3)
       share   rate
    0    0.0  0.506
    1    0.5  0.331
    2    1.0  0.156
    """
    if not isinstance(treatment, str) or treatment not in ("stadfaestet", "exclude"):
        raise ArgumentError(f"treatment must be 'stadfaestet' or 'exclude'; got {treatment!r}", column="treatment")
    values = align(stadfaestet, aendret, hjemvist, names=_COUNTS)
    index = next((v.index for v in values if isinstance(v, pd.Series)), None)
    # counts or published shares: any non-negative numbers (only their ratios matter)
    arrays = [check_real(v, name, minimum=0, scalar=False, error=DataError) for v, name in zip(values, _COUNTS, strict=True)]
    try:
        st, ae, hj = np.broadcast_arrays(*arrays)
    except ValueError:
        raise DataError("stadfaestet, aendret and hjemvist have different lengths") from None
    s = check_probability(share, "share")
    if s.ndim > 1 or s.size == 0:
        raise ArgumentError(f"share must be one share or a flat, non-empty sequence of shares; got {share!r}",
                            column="share")
    s = np.atleast_1d(s)
    n0 = st + ae + hj
    if (n0 <= 0).any():
        raise DataError("a unit has no decided cases (stadfaestet + aendret + hjemvist = 0)")
    unit = np.repeat(np.arange(st.size), s.size)
    ss = np.tile(s, st.size)
    omgjort = ae[unit] + (1 - ss) * hj[unit]
    # the cases left, summed from their parts (n0 − s·hjemvist can round below omgjort: a rate above 1)
    n = st[unit] + omgjort if treatment == "exclude" else n0[unit]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, omgjort / np.where(n > 0, n, 1), np.nan)
    labels = np.asarray(index)[unit] if index is not None and len(index) == st.size else unit
    return pd.DataFrame({"unit": labels, "share": ss, "treatment": treatment, "n": n,
                         "omgjort": omgjort, "rate": rate})
