"""The chunked simulation engine shared by :mod:`.selection` and :mod:`.rules`.

A simulation checks its units (:func:`check_units`), makes its random stream
(:func:`make_rng`), draws binomial counts by inverting each unit's CDF
(:class:`BinomialSampler`) and runs its repetitions in blocks of *chunk* with
an optional progress bar (:class:`Chunks`), so memory stays bounded
whatever the number of repetitions.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_counts, check_whole
from ..errors import ArgumentError, DataError

__all__ = ["CHUNK_CELLS", "check_units", "chunk_size", "make_rng", "BinomialSampler", "use_progress", "Chunks"]

# Rough throughput of a simulation loop on a small machine (unit-draws per
# second); used only to decide whether a progress bar is worth showing.
_UNIT_DRAWS_PER_SECOND = 1e7
_PROGRESS_AFTER_SECONDS = 2.0
#: default block: about this many unit-draws per block (≈ 4 MB per array)
CHUNK_CELLS = 500_000


def check_units(n) -> tuple[np.ndarray, pd.Index | None]:
    """Case counts per unit (at least two units, each with a case) and the caller's index.

    >>> n, index = check_units(pd.Series([3, 5], index=["a", "b"]))
    >>> n.tolist(), index.tolist()
    ([3, 5], ['a', 'b'])
    """
    index = n.index if isinstance(n, pd.Series) else None
    n_arr = as_counts(n, "n").ravel()
    if n_arr.size < 2:
        raise DataError("need at least two units to select from", column="n")
    if (n_arr < 1).any():
        pos = int(np.flatnonzero(n_arr < 1)[0])
        raise DataError("every unit needs at least one case", row=index[pos] if index is not None else pos, column="n")
    return n_arr, index


def chunk_size(chunk, size: int, units: int) -> int:
    """Repetitions per block: *chunk* checked, or about :data:`CHUNK_CELLS` unit-draws per block.

    >>> chunk_size(None, 100_000, 98), chunk_size(None, 10, 98), chunk_size(250, 10, 98)
    (5102, 10, 250)
    """
    if chunk is None:
        chunk = max(1, min(size, CHUNK_CELLS // units))
    return check_whole(chunk, "chunk")


def make_rng(seed) -> np.random.Generator:
    """numpy's Generator for *seed* (an int, a sequence of ints, a Generator or None), or an ArgumentError.

    >>> float(make_rng(1).random()) == float(np.random.default_rng(1).random())
    True
    """
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as err:
        raise ArgumentError(f"seed must be a whole number, a numpy Generator or None; got {seed!r} ({err})",
                            column="seed") from None


class BinomialSampler:
    """Binomial counts ``X_j ~ Binomial(n_j, p_j)`` drawn by inverting each unit's CDF at uniform draws.

    Exact up to floating point and about twice as fast as
    :meth:`numpy.random.Generator.binomial` with a different ``n`` per
    column. Counts further than 40 standard deviations (+10) from the mean
    have probability far below 1e-300 and are left out of each unit's table.

    >>> sampler = BinomialSampler(np.array([10, 20]), np.array([0.5, 0.0]))
    >>> counts = sampler.draw(np.random.default_rng(0), 3)
    >>> counts.shape, counts[:, 1].tolist()
    ((3, 2), [0, 0, 0])
    """

    def __init__(self, n: np.ndarray, p: np.ndarray):
        cache: dict[tuple[int, float], tuple[int, np.ndarray]] = {}
        tables = []
        for n_j, p_j in zip(np.asarray(n).tolist(), np.asarray(p).tolist(), strict=True):
            key = (n_j, p_j)
            if key not in cache:
                mean = n_j * p_j
                spread = 40 * np.sqrt(n_j * p_j * (1 - p_j)) + 10
                lo = max(0, int(np.floor(mean - spread)))
                hi = min(n_j, int(np.ceil(mean + spread)))
                cdf = stats.binom.cdf(np.arange(lo, hi + 1), n_j, p_j)
                cdf[-1] = 1.0  # a uniform draw in [0, 1) never lands beyond the table
                cache[key] = (lo, cdf)
            tables.append(cache[key])
        self.tables = tables

    def draw(self, rng: np.random.Generator, m: int) -> np.ndarray:
        """Counts for *m* repetitions (m × units)."""
        units = len(self.tables)
        u = rng.random((units, m))
        counts = np.empty((m, units), dtype=np.int64)
        for j, (lo, cdf) in enumerate(self.tables):
            counts[:, j] = np.searchsorted(cdf, u[j], side="right") + lo
        return counts


def use_progress(progress, work, units) -> bool:
    """Whether to show a progress bar: as *progress* says, or (None) when the run should take over ~2 s.

    >>> use_progress(None, 1_000, 98), use_progress(None, 10**6, 98), use_progress(True, 1, 1)
    (False, True, True)
    """
    if progress is None:
        return work * units / _UNIT_DRAWS_PER_SECOND > _PROGRESS_AFTER_SECONDS
    if not isinstance(progress, bool | np.bool_):
        raise ArgumentError(f"progress must be True, False or None; got {progress!r}", column="progress")
    return bool(progress)


class Chunks:
    """Blocks of *m* ≤ *chunk* repetitions adding up to *size*, with a progress bar; ``.elapsed`` seconds after.

    Iterating yields each block's number of repetitions. A tqdm bar named
    *desc* counts the repetitions when :func:`use_progress` says so for
    *work* (default *size*) repetitions of *units* unit-draws; a bad
    *progress* raises when the iteration starts.

    >>> blocks = Chunks(10, 4, units=2)
    >>> [m for m in blocks], blocks.elapsed >= 0
    ([4, 4, 2], True)
    """

    def __init__(self, size: int, chunk: int, *, units: int, work: int | None = None, progress=None,
                 desc: str = ""):
        self.size, self.chunk, self.units = size, chunk, units
        self.work = size if work is None else work
        self.progress, self.desc = progress, desc
        self.elapsed = 0.0

    def __iter__(self):
        bar = None
        if use_progress(self.progress, self.work, self.units):
            from tqdm.auto import tqdm

            bar = tqdm(total=self.size, desc=self.desc, unit="rep")
        start = time.perf_counter()
        try:
            done = 0
            while done < self.size:
                m = min(self.chunk, self.size - done)
                yield m
                done += m
                if bar is not None:
                    bar.update(m)
        finally:
            if bar is not None:
                bar.close()
            self.elapsed = time.perf_counter() - start
