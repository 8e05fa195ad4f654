"""The one reference rule: which national rate a kommune's rate is compared with.

1. The download's own *Hele landet* row for the same area and period (the same definition as
   the kommune's counts);
2. else the published national rate for that area and the period's years (bundled, with its
   source), noted when it is the latest earlier year or a secondary source;
3. else none, and nothing that needs a reference is claimed.

:class:`Reference.text` says in one Danish sentence which one was used; every surface prints it
verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..io.bundle import describe_sources, load_national, national_rate
from ..table.words import area_da, join_da, pct, period_da, whole

__all__ = ["Reference", "choose_reference", "ORIGINS"]

#: where a reference can come from
ORIGINS = ("download", "published", "published_earlier", "none")
_COLUMNS = ["period", "omg_pct", "source"]


@dataclass(frozen=True)
class Reference:
    """The reference rate of one area and period, where it came from and the sentence that says so.

    ``rate`` is a proportion in (0, 1) or None; ``origin`` one of :data:`ORIGINS`; ``text`` one
    Danish sentence; ``sources`` the source keys (:func:`danmark.describe_sources`); ``k`` and
    ``n`` Hele landet's counts when ``origin == "download"``. ``national`` holds the published
    rates used (``period``, ``omg_pct`` in percent, ``source``), ``missing`` the period's years
    without one, ``earlier`` whether the rate is the latest published year before the period.

    Examples
    --------
    >>> Reference(None, "none", "Der er intet landsgennemsnit.", ()).rate is None
    True
    """

    rate: float | None
    origin: str
    text: str
    sources: tuple[str, ...]
    k: int | None = None
    n: int | None = None
    national: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_COLUMNS), repr=False, compare=False)
    missing: tuple[str, ...] = ()

    earlier: bool = False


def _published(area: str, period: str, start) -> tuple[pd.DataFrame, tuple[str, ...], bool]:
    """The published rates for the period's years, or the latest earlier year; (rows, years missing, earlier)."""
    nat = national_rate(area, period)
    known = nat.dropna(subset=["omg_pct"]) if not nat.empty else nat
    if not known.empty:
        missing = tuple(p for p in nat["period"] if p not in set(known["period"]))
        return known[_COLUMNS].reset_index(drop=True), missing, False
    latest = load_national(preferred_only=True)
    latest = latest[(latest["area"] == area) & latest["period"].str.fullmatch(r"\d{4}")
                    & (latest["period_start"] < start)].dropna(subset=["omg_pct"])
    if latest.empty:
        return pd.DataFrame(columns=_COLUMNS), tuple(nat["period"]), False
    return latest.sort_values("period").tail(1)[_COLUMNS].reset_index(drop=True), tuple(nat["period"]), True


def choose_reference(national: pd.DataFrame, area: str, period: str, start, label: str) -> Reference:
    """The reference for *area* and *period* (the rule in the module docstring).

    *national* is the data's own Hele landet rows for the area and period (possibly none),
    *start* the period's first day, *label* the data in Danish ("filen data.csv").

    Examples
    --------
    >>> r = choose_reference(pd.DataFrame(), "voksenhandicap", "2024", pd.Timestamp("2024-01-01"), "filen x.csv")
    >>> r.origin, round(r.rate, 3)
    ('published_earlier', 0.389)
    >>> r.text
    'Landsgennemsnittet er det seneste offentliggjorte landstal før 2024 for voksenhandicap, 2022: 38,9 % (2022 fra en sekundær kilde: andres gengivelse af officielle tal).'
    """
    area_text, period_text = area_da(area), period_da(period)
    if len(national):
        k, n = int(national["omgjort"].sum()), int(national["n"].sum())
        if 0 < k < n:
            keys = tuple(dict.fromkeys(s for whole_key in national["source"] for s in str(whole_key).split("+")))
            rows = pd.DataFrame({"period": [period], "omg_pct": [100 * k / n], "source": ["+".join(keys)]})
            return Reference(k / n, "download", f"Landsgennemsnittet er Hele landet i {label} for samme område og "
                             f"periode: {whole(k)} omgjort af {whole(n)} realitetsbehandlede sager, {pct(k / n)}.",
                             keys, k, n, rows)
    rows, missing, earlier = _published(area, period, start)
    if rows.empty:
        return Reference(None, "none", f"Der er intet landsgennemsnit for {area_text} i {period_text}: hverken "
                         f"{label} eller danmarks offentliggjorte landstal har et, så der er intet justeret skøn og "
                         "ingen sandsynlighed for at ligge over.", (), missing=missing)
    rate = float(rows["omg_pct"].mean()) / 100
    keys = tuple(dict.fromkeys(s for s in rows["source"] if isinstance(s, str) and s))
    described = describe_sources(keys).set_index("key") if keys else pd.DataFrame()
    secondary = [p for p, s in zip(rows["period"], rows["source"], strict=True)
                 if s in described.index and str(described.loc[s, "source_type"]).startswith("secondary")]
    years = [f"{p}: {pct(v / 100)}" for p, v in zip(rows["period"], rows["omg_pct"], strict=True)]
    if earlier:
        text = (f"Landsgennemsnittet er det seneste offentliggjorte landstal før {period_text} for {area_text}, "
                f"{years[0]}")
    elif len(rows) == 1:
        text = f"Landsgennemsnittet er det offentliggjorte landstal for {area_text} i {years[0]}"
    else:
        text = (f"Landsgennemsnittet er gennemsnittet af de offentliggjorte landstal for {area_text} "
                f"({join_da(years)}): {pct(rate)}")
    if missing and not earlier:
        text += f"; for {join_da(missing)} er der intet offentliggjort landstal"
    if secondary:
        text += f" ({join_da(secondary)} fra en sekundær kilde: andres gengivelse af officielle tal)"
    origin = "published_earlier" if earlier or secondary else "published"
    return Reference(rate, origin, text + ".", keys, national=rows, missing=missing if not earlier else (),
                     earlier=earlier)
