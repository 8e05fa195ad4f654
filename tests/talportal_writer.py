"""Write the two files analysts download from Ankestyrelsen's Talportal, from a truth table.

Test-side only. The Talportal (an R Shiny app, source ``sorhawell/ast_talportal``)
offers a **CSV-fil** download (``write.table(x, sep=";", dec=",",
row.names=FALSE, fileEncoding="latin1")``, long: one row per Kommune ×
Sagsemne × periode) and an **XLSX (Excel)** download (``excelfil.xlsx``,
openxlsx, sheet ``Som tabel``, pivoted with the periods across). This module
imitates both, computing every measure the way the app's ``server.R`` does, so
that a reader can be tested by a round trip: truth → file → reader → the truth
again. Nothing here is Ankestyrelsen's data: tables built by
:func:`random_truth` are SYNTHETIC and the example tables in the tests are
INVENTED.

The truth table
---------------
One row per Kommune × Sagsemne × periode, columns

``kommune``     the app's name (``"Århus"``, ``"Ålborg"``, ``"Nordfyns"``, …,
                or ``"Hele landet"``), see :data:`APP_KOMMUNER`;
``lovgivning``  e.g. ``"Serviceloven"`` (optional: taken from :data:`SAGSEMNER`
                or ``"Serviceloven"``);
``sagsemne``    the Sagsemne text;
``periode``     the app's period text, ``"2022"`` or ``"2022 - 4. kvartal"``;
``stadf``, ``aendr``, ``hjem``, ``afvist``
                nullable counts (Int64) of stadfæstede, ændrede/ophævede,
                hjemviste and afviste sager; <NA> means *no cases*, as in the
                app's internal table (spread from a long one, so an outcome
                with no cases is missing, never 0).

A truth row whose four counts are all <NA> is a cell the app's internal table
does not have: it is not written to the CSV-fil, and in the XLSX it is a gap
of the pivot, written as 0 like every other missing value.

How the app computes the measures (``server.R``, "Excel - KSB")
----------------------------------------------------------------
``Antal_sager_ialt`` = the sum of the four outcomes (missing as 0);
``Realitetsbehandlede sager i alt`` = ``Antal_sager_ialt - Afvisning.Henvisning``
*without* replacing missing, so it is NA whenever ``afvist`` is NA; every
percentage is ``(count / Realitetsbehandlede) * 100`` with missing replaced by
0 in numerator and denominator, so it is ``Inf`` (or ``NaN`` for 0/0) when
``afvist`` is NA. Counts are written as they are. "I alt" rows are sums (missing
as 0) with their measures computed from the sums.

Public functions
----------------
:func:`app_table`           the long table the app writes (values, not text)
:func:`write_csv_download`  the CSV-fil download (:func:`csv_text` for its text)
:func:`write_xlsx_download` the XLSX download (:func:`xlsx_layout` for its cells)
:func:`expected_tidy`       what a correct reader returns, row by row
:func:`can_recover`, :func:`needs_ratio_algebra`
                            column-level properties of a set of ticked measures
:func:`random_truth`        a SYNTHETIC truth table of realistic shape
:func:`make_truth`          a truth table from a few hand-written rows
:func:`r_format_double`, :func:`format_r_doubles`
                            R's ``write.table`` formatting of doubles
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "MEASURES", "COUNT_MEASURES", "PCT_MEASURES",
    "REAL", "STADF", "AENDR", "HJEM", "AFVIST", "STADF_PCT", "OMG_PCT", "AENDR_PCT", "HJEM_PCT",
    "APP_KOMMUNER", "HELE_LANDET", "I_ALT", "SAGSEMNER", "SHEET", "TRUTH_COLUMNS",
    "make_truth", "random_truth", "app_table", "csv_text", "write_csv_download",
    "xlsx_layout", "write_xlsx_download", "expected_tidy", "can_recover", "needs_ratio_algebra",
    "r_format_double", "format_r_doubles", "period_key", "kommune_table", "footer",
]

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- the app's vocabulary

REAL = "Realitetsbehandlede sager i alt"
STADF = "Stadfæstede sager"
AENDR = "Ændrede/ophævede sager"
HJEM = "Hjemviste sager"
AFVIST = "Afviste sager"
STADF_PCT = "Stadfæstelsesprocent"
OMG_PCT = "Omgørelsesprocent"
AENDR_PCT = "Ændrings-/ophævelsesprocent"
HJEM_PCT = "Hjemvisningsprocent"

#: the measures an analyst can tick, in the order the downloads write them
MEASURES = (REAL, STADF, AENDR, HJEM, AFVIST, STADF_PCT, OMG_PCT, AENDR_PCT, HJEM_PCT)
COUNT_MEASURES = MEASURES[:5]
PCT_MEASURES = MEASURES[5:]

HELE_LANDET = "Hele landet"
I_ALT = "I alt"
SHEET = "Som tabel"
TRUTH_COLUMNS = ["kommune", "lovgivning", "sagsemne", "periode", "stadf", "aendr", "hjem", "afvist"]
_COUNTS = ["stadf", "aendr", "hjem", "afvist"]

#: the 98 municipalities as the app names them (app_data/kommuner.csv of the app)
APP_KOMMUNER = (
    "København", "Frederiksberg", "Ballerup", "Brøndby", "Dragør", "Gentofte", "Gladsaxe",
    "Glostrup", "Herlev", "Albertslund", "Hvidovre", "Høje-Taastrup", "Lyngby-Taarbæk",
    "Rødovre", "Ishøj", "Tårnby", "Vallensbæk", "Furesø", "Allerød", "Fredensborg",
    "Helsingør", "Hillerød", "Hørsholm", "Rudersdal", "Egedal", "Frederikssund", "Greve",
    "Køge", "Halsnæs", "Roskilde", "Solrød", "Gribskov", "Odsherred", "Holbæk", "Faxe",
    "Kalundborg", "Ringsted", "Slagelse", "Stevns", "Sorø", "Lejre", "Lolland", "Næstved",
    "Guldborgsund", "Vordingborg", "Bornholm", "Middelfart", "Assens", "Faaborg-Midtfyn",
    "Kerteminde", "Nyborg", "Odense", "Svendborg", "Nordfyns", "Langeland", "Ærø",
    "Haderslev", "Billund", "Sønderborg", "Tønder", "Esbjerg", "Fanø", "Varde", "Vejen",
    "Aabenraa", "Fredericia", "Horsens", "Kolding", "Vejle", "Herning", "Holstebro",
    "Lemvig", "Struer", "Syddjurs", "Norddjurs", "Favrskov", "Odder", "Randers",
    "Silkeborg", "Samsø", "Skanderborg", "Århus", "Ikast-Brande", "Ringkøbing-Skjern",
    "Hedensted", "Morsø", "Skive", "Thisted", "Viborg", "Brønderslev", "Frederikshavn",
    "Vesthimmerlands", "Læsø", "Rebild", "Mariagerfjord", "Jammerbugt", "Ålborg", "Hjørring",
)
# app name -> the name in the project's data/kommuner.csv, where they differ
_APP_TO_OFFICIAL = {"Århus": "Aarhus", "Ålborg": "Aalborg"}

#: example Sagsemner (texts in the app's style) and their Lovgivning
SAGSEMNER = {
    "Børnehandicap - merudgifter - § 41": "Serviceloven",
    "Børnehandicap - tabt arbejdsfortjeneste - § 42": "Serviceloven",
    "Voksenhandicap - BPA - § 96": "Serviceloven",
    "Voksenhandicap - merudgifter - § 100": "Serviceloven",
    "Hjemmehjælp - § 83": "Serviceloven",
    "Økonomisk friplads - § 43": "Dagtilbudsloven",
}


def footer(year: int = 2023) -> str:
    """The XLSX footer, as R's ``paste`` writes it (spaces inside the parentheses).

    >>> footer(2023)
    'Kilde: Ankestyrelsen ( 2023 )'
    """
    return f"Kilde: Ankestyrelsen ( {year} )"


@lru_cache(maxsize=1)
def kommune_table() -> pd.DataFrame:
    """App name → ``kommunekode``, official ``kommune`` and ``region`` (from data/kommuner.csv).

    One row per app name in :data:`APP_KOMMUNER` plus ``"Hele landet"``
    (kommunekode ``"000"``, region <NA>), indexed by the app name.
    """
    kom = pd.read_csv(REPO / "danmark" / "data" / "kommuner.csv", dtype=str)
    kom["kommunekode"] = kom["kommunekode"].str.zfill(3)
    by_name = kom.set_index("kommune")
    rows = []
    for app in APP_KOMMUNER:
        official = _APP_TO_OFFICIAL.get(app, app)
        hit = by_name.loc[official]
        rows.append((app, hit["kommunekode"], official, hit["region"]))
    rows.append((HELE_LANDET, "000", HELE_LANDET, pd.NA))
    out = pd.DataFrame(rows, columns=["app_name", "kommunekode", "kommune", "region"]).set_index("app_name")
    if len(set(out["kommunekode"])) != 99:
        raise AssertionError("data/kommuner.csv does not match the app's 98 names")
    return out


_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:\s*-\s*([1-4])\.\s*kvartal)?\s*$")


def period_key(periode: str) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """The app's period text → (canonical label, first day, last day).

    >>> period_key("2022 - 4. kvartal")[0], period_key("2022")[0]
    ('2022Q4', '2022')
    """
    m = _PERIOD_RE.match(str(periode))
    if not m:
        raise ValueError(f"not a Talportal period: {periode!r}")
    year = int(m.group(1))
    if m.group(2) is None:
        return f"{year}", pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    q = int(m.group(2))
    start = pd.Timestamp(year, 3 * q - 2, 1)
    return f"{year}Q{q}", start, start + pd.offsets.QuarterEnd(0)


def _period_sort_key(periode: str):
    label = period_key(periode)[0]
    return (int(label[:4]), int(label[5:]) if "Q" in label else 0)


# --------------------------------------------------------------------------- truth tables


def _as_truth(truth: pd.DataFrame) -> pd.DataFrame:
    """Check a truth table and return a copy with the right dtypes."""
    missing = [c for c in ("kommune", "sagsemne", "periode", *_COUNTS) if c not in truth.columns]
    if missing:
        raise ValueError(f"truth table lacks column(s) {missing}")
    out = truth.copy()
    if "lovgivning" not in out.columns:
        out["lovgivning"] = [SAGSEMNER.get(s, "Serviceloven") for s in out["sagsemne"]]
    for c in ("kommune", "lovgivning", "sagsemne", "periode"):
        out[c] = out[c].astype(object)
    for c in _COUNTS:
        out[c] = pd.array(out[c], dtype="Int64")
        if (out[c].fillna(0) < 0).any():
            raise ValueError(f"negative count in column {c!r}")
    if out.duplicated(["kommune", "sagsemne", "periode"]).any():
        raise ValueError("truth table has duplicate Kommune × Sagsemne × periode rows")
    if (out["kommune"] == I_ALT).any() or (out["sagsemne"] == I_ALT).any():
        raise ValueError("'I alt' rows are written by the writer (i_alt=...), not given in the truth")
    return out[TRUTH_COLUMNS].reset_index(drop=True)


def make_truth(rows: Iterable[Sequence], lovgivning: str | None = None) -> pd.DataFrame:
    """A truth table from tuples ``(kommune, sagsemne, periode, stadf, aendr, hjem, afvist)``.

    ``None`` is a count with no cases.

    >>> t = make_truth([("Solrød", "Voksenhandicap - BPA - § 96", "2022", 3, None, 3, None)])
    >>> t[["kommune", "stadf", "aendr"]]
      kommune  stadf  aendr
    0  Solrød      3   <NA>
    """
    rows = list(rows)
    df = pd.DataFrame(rows, columns=["kommune", "sagsemne", "periode", *_COUNTS])
    if lovgivning is not None:
        df["lovgivning"] = lovgivning
    return _as_truth(df)


def random_truth(
    rng,
    n_kommuner: int = 98,
    sagsemner: Sequence[str] | None = None,
    periods: Sequence[str] = ("2022",),
    hele_landet: bool = True,
    mean_cases: float = 6.0,
) -> pd.DataFrame:
    """A SYNTHETIC truth table of realistic shape: many small counts, many <NA>.

    Not Ankestyrelsen's data: counts are Poisson draws around a municipality
    size (log-normal) times a Sagsemne volume, split into stadfæstet / ændret /
    hjemvist / afvist with per-municipality probabilities near a national
    60 / 8 / 27 / 5 %, so most small municipalities have no ændrede sager in a
    year (those are <NA>, as in the app). Quarterly periods get a quarter of the
    yearly volume. "Hele landet" (if asked for) is the sum over the drawn
    municipalities plus the other municipalities' cases, drawn the same way.

    Parameters
    ----------
    rng : numpy Generator or int seed
    n_kommuner : how many of the 98 (a random choice, kept in the app's order)
    sagsemner : Sagsemne texts (default: three of :data:`SAGSEMNER`)
    periods : the app's period texts
    mean_cases : mean number of cases per municipality and Sagsemne in a year
    """
    rng = np.random.default_rng(rng)
    if sagsemner is None:
        sagsemner = list(SAGSEMNER)[:3]
    pick = np.sort(rng.choice(len(APP_KOMMUNER), size=n_kommuner, replace=False))
    kommuner = [APP_KOMMUNER[i] for i in pick]
    size = rng.lognormal(mean=0.0, sigma=0.9, size=len(APP_KOMMUNER))
    size /= size.mean()
    volume = rng.uniform(0.3, 1.7, size=len(sagsemner))
    probs = rng.dirichlet(np.array([60.0, 8.0, 27.0, 5.0]) * 3, size=len(APP_KOMMUNER))
    scale = np.array([0.25 if "kvartal" in p else 1.0 for p in periods])

    # every municipality × Sagsemne × period, so that Hele landet is a real total
    k_idx, s_idx, p_idx = (a.ravel() for a in np.meshgrid(
        np.arange(len(APP_KOMMUNER)), np.arange(len(sagsemner)), np.arange(len(periods)), indexing="ij"))
    lam = mean_cases * size[k_idx] * volume[s_idx] * scale[p_idx]
    total = rng.poisson(lam)
    counts = np.empty((len(total), 4), dtype=np.int64)
    for i, (t, k) in enumerate(zip(total, k_idx, strict=True)):
        counts[i] = rng.multinomial(t, probs[k])
    # order of the truth's count columns: stadf, aendr, hjem, afvist
    full = pd.DataFrame({
        "kommune": np.asarray(APP_KOMMUNER, dtype=object)[k_idx],
        "sagsemne": np.asarray(list(sagsemner), dtype=object)[s_idx],
        "periode": np.asarray(list(periods), dtype=object)[p_idx],
        "stadf": counts[:, 0], "aendr": counts[:, 1], "hjem": counts[:, 2], "afvist": counts[:, 3],
    })
    parts = [full[full["kommune"].isin(kommuner)]]
    if hele_landet:
        nat = full.groupby(["sagsemne", "periode"], sort=False)[_COUNTS].sum().reset_index()
        nat.insert(0, "kommune", HELE_LANDET)
        parts.insert(0, nat)
    out = pd.concat(parts, ignore_index=True)
    for c in _COUNTS:
        out[c] = pd.Series(pd.array(out[c], dtype="Int64"), index=out.index).where(out[c] > 0, pd.NA)
    out["lovgivning"] = [SAGSEMNER.get(s, "Serviceloven") for s in out["sagsemne"]]
    out = _as_truth(out)
    out.attrs["synthetic"] = True
    return out


# --------------------------------------------------------------------------- R's number formatting


def r_format_double(x: float) -> str:
    """A double as R's ``write.table`` writes it: 15 significant digits, fixed or scientific.

    R (``formatReal`` with ``digits = 15``) keeps the fewest significant digits
    (at most 15) that show the value to 15 digits, and uses fixed notation
    unless scientific notation is narrower. The decimal mark is ``.`` here.

    >>> [r_format_double(v) for v in (100 / 3, 50.0, 12.5, 0.0, 1e-4, 100 / 7 / 1e5)]
    ['33.3333333333333', '50', '12.5', '0', '1e-04', '0.000142857142857143']
    >>> [r_format_double(v) for v in (float("inf"), float("-inf"), float("nan"))]
    ['Inf', '-Inf', 'NaN']
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0:
        return "0"
    mant, exp = f"{x:.14e}".split("e")
    e = int(exp)
    nsig = max(1, len(mant.lstrip("-").replace(".", "").rstrip("0")))
    neg = int(x < 0)
    rgt = max(0, nsig - e - 1)
    left = e + 1 if e >= 0 else 1
    fixed_width = neg + left + (rgt + 1 if rgt else 0)
    sci_width = neg + (nsig + 1 if nsig > 1 else 1) + (4 if abs(e) < 100 else 5)
    if fixed_width <= sci_width:
        return f"{x:.{rgt}f}"
    return f"{x:.{nsig - 1}e}"


def format_r_doubles(values, dec: str = ",") -> np.ndarray:
    """Vectorised :func:`r_format_double` with decimal mark *dec*.

    Each distinct value is formatted once, so a large table costs little.
    NaN is R's ``NaN`` (the app's percentages are never NA: it replaces NA by
    0 before dividing).

    >>> list(format_r_doubles([100 / 3, 50.0, float("inf"), float("nan"), 50.0]))
    ['33,3333333333333', '50', 'Inf', 'NaN', '50']
    """
    raw = np.asarray(values, dtype=float).ravel()
    if not len(raw):
        return np.empty(0, dtype=object)
    nan = np.isnan(raw)
    uniq, inverse = np.unique(np.where(nan, 0.0, raw), return_inverse=True)
    texts = np.array([r_format_double(float(u)).replace(".", dec) for u in uniq], dtype=object)
    out = texts[inverse.ravel()]
    out[nan] = "NaN"
    return out


def _format_ints(values, na: str = "NA") -> np.ndarray:
    arr = pd.array(values, dtype="Int64")
    out = np.asarray(arr.astype(str), dtype=object)
    out[np.asarray(arr.isna())] = na
    return out


def _r_quote(text) -> str:
    # write.table's default qmethod = "escape": an embedded quote becomes \"
    return '"' + str(text).replace('"', '\\"') + '"'


# --------------------------------------------------------------------------- the app's table


def _measures_arg(measures) -> list[str]:
    ms = list(measures)
    unknown = [m for m in ms if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure(s) {unknown}; choose from {MEASURES}")
    # the app writes the ticked measures in its fixed order, each once
    return [m for m in MEASURES if m in ms]


def _compute(stadf, aendr, hjem, afvist, total) -> dict[str, object]:
    """The nine measures from internal counts (Int64 arrays with <NA>) and the total (int)."""
    s0, a0, h0 = (np.asarray(x.fillna(0), dtype=np.int64) for x in (stadf, aendr, hjem))
    f_na = np.asarray(afvist.isna())
    real = pd.array(np.asarray(total, dtype=np.int64) - np.asarray(afvist.fillna(0), dtype=np.int64), dtype="Int64")
    real[f_na] = pd.NA
    den = np.where(f_na, 0, np.asarray(real.fillna(0), dtype=np.int64)).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # R: ((count) / Realitetsbehandlede) * 100, in this order
        pct = {
            STADF_PCT: (s0 / den) * 100,
            OMG_PCT: ((a0 + h0) / den) * 100,
            AENDR_PCT: (a0 / den) * 100,
            HJEM_PCT: (h0 / den) * 100,
        }
    return {REAL: real, STADF: stadf, AENDR: aendr, HJEM: hjem, AFVIST: afvist, **pct}


def app_table(truth: pd.DataFrame, measures=MEASURES, i_alt: str | None = None) -> pd.DataFrame:
    """The long table both downloads are made from, with values (not text), in the app's row order.

    Columns ``Kommune``, ``Lovgivning``, ``Sagsemne``, ``periode``, then the
    ticked *measures* in the app's order: counts as Int64 (<NA> = R's NA),
    percentages as float64 (``inf``/``nan`` are R's ``Inf``/``NaN``).

    Truth rows with no cases at all are left out (the app's internal table has
    no such cell). With ``i_alt="sagsemne"`` (needs several Sagsemner) rows
    with Sagsemne ``"I alt"`` are appended per Kommune × periode, their
    Lovgivning <NA> (the app's join with its Sagsemne table finds none); with
    ``i_alt="kommune"`` (needs several municipalities and no "Hele landet")
    rows with Kommune ``"I alt"`` per Sagsemne × periode. Their counts are sums
    with missing as 0 (never <NA>), their measures computed from the sums.
    """
    truth = _as_truth(truth)
    ms = _measures_arg(measures)
    if i_alt not in (None, "sagsemne", "kommune"):
        raise ValueError(f"i_alt must be None, 'sagsemne' or 'kommune', got {i_alt!r}")
    data = truth[truth[_COUNTS].notna().any(axis=1)].reset_index(drop=True)
    if i_alt == "sagsemne" and data["sagsemne"].nunique() < 2:
        raise ValueError("the app writes Sagsemne 'I alt' rows only when several Sagsemner are chosen")
    if i_alt == "kommune":
        if data["kommune"].nunique() < 2:
            raise ValueError("the app writes Kommune 'I alt' rows only when several kommuner are chosen")
        if (data["kommune"] == HELE_LANDET).any():
            raise ValueError("the app writes no Kommune 'I alt' rows when 'Hele landet' is chosen")
    if i_alt is not None:
        by = ["kommune", "periode"] if i_alt == "sagsemne" else ["sagsemne", "periode"]
        sums = data.groupby(by, sort=False)[_COUNTS].sum(min_count=0).reset_index()
        for c in _COUNTS:
            sums[c] = pd.array(sums[c].fillna(0), dtype="Int64")
        if i_alt == "sagsemne":
            sums["sagsemne"] = I_ALT
            sums["lovgivning"] = None
        else:
            sums["kommune"] = I_ALT
            lov = data.drop_duplicates("sagsemne").set_index("sagsemne")["lovgivning"]
            sums["lovgivning"] = sums["sagsemne"].map(lov)
        # R's aggregate() orders groups with the first grouping variable varying fastest
        order = sorted(range(len(sums)), key=lambda i: (
            _period_sort_key(sums.at[i, "periode"]), str(sums.at[i, by[0]])))
        sums = sums.iloc[order]
        data = pd.concat([data, sums[TRUTH_COLUMNS]], ignore_index=True)
    total = np.asarray(data[_COUNTS].fillna(0).sum(axis=1), dtype=np.int64)
    values = _compute(data["stadf"].array, data["aendr"].array, data["hjem"].array, data["afvist"].array, total)
    out = pd.DataFrame({
        "Kommune": data["kommune"].to_numpy(dtype=object),
        "Lovgivning": data["lovgivning"].to_numpy(dtype=object),
        "Sagsemne": data["sagsemne"].to_numpy(dtype=object),
        "periode": data["periode"].to_numpy(dtype=object),
    })
    for m in ms:
        v = values[m]
        out[m] = pd.array(v, dtype="Int64") if m in COUNT_MEASURES else np.asarray(v, dtype=float)
    return out


# --------------------------------------------------------------------------- CSV-fil


def csv_text(table: pd.DataFrame, crlf: bool = False) -> str:
    """The text ``write.table(sep=";", dec=",", row.names=FALSE)`` writes for *table* (see :func:`app_table`)."""
    cols = []
    for name in table.columns:
        v = table[name]
        if name in PCT_MEASURES:
            cols.append(format_r_doubles(v.to_numpy(dtype=float)))
        elif name in COUNT_MEASURES:
            cols.append(_format_ints(v))
        else:
            arr = v.to_numpy(dtype=object)
            cols.append(np.array(["NA" if (x is None or x is pd.NA or x != x) else _r_quote(x) for x in arr],
                                 dtype=object))
    eol = "\r\n" if crlf else "\n"
    lines = [";".join(_r_quote(c) for c in table.columns)]
    if len(table):
        lines.extend(map(";".join, zip(*cols, strict=True)))
    return eol.join(lines) + eol


def write_csv_download(truth: pd.DataFrame, path, measures=MEASURES, i_alt: str | None = None,
                       crlf: bool = False) -> Path:
    """Write the Talportal's CSV-fil download of *truth*; returns the path.

    Latin-1 without BOM, ``;``, text and headers in double quotes, numbers
    bare, ``NA`` / ``Inf`` / ``NaN``, decimal comma, 15 significant digits,
    ``"\\n"`` line ends (``crlf=True`` for ``"\\r\\n"``). Columns ``Kommune``,
    ``Lovgivning``, ``Sagsemne``, ``periode``, then the ticked *measures* in the
    app's order. See :func:`app_table` for rows and *i_alt*.
    """
    path = Path(path)
    table = app_table(truth, measures, i_alt)
    path.write_bytes(csv_text(table, crlf=crlf).encode("latin-1"))
    return path


# --------------------------------------------------------------------------- XLSX


def xlsx_layout(truth: pd.DataFrame, measures=MEASURES, pivot: str = "measures_on_top",
                first_column: str = "Sagsemne", i_alt: str | None = None,
                period_order: Sequence[str] | None = None):
    """The sheet's content as Python values: ``(header1, header2, rows)``.

    ``header1``/``header2`` are the lists of row 1 and row 2 (``None`` for an
    empty cell); ``rows`` the data rows (text, ints, floats with ``inf`` kept
    and every NA/NaN already 0), sorted by column A as the app does
    (``arrange(.[,1])``, a stable sort). *period_order* is the order of the
    periods in the header; by default the app's ``rev(input$in_periode)``
    with the periods chosen in ascending order, i.e. newest first (the app
    reverses them under both pivots: see ``ksb_test_samling`` in server.R).
    """
    if pivot not in ("measures_on_top", "periods_on_top"):
        raise ValueError(f"pivot must be 'measures_on_top' or 'periods_on_top', got {pivot!r}")
    if first_column not in ("Sagsemne", "Kommune"):
        raise ValueError(f"first_column must be 'Sagsemne' or 'Kommune', got {first_column!r}")
    ms = _measures_arg(measures)
    if not ms:
        raise ValueError("tick at least one measure")
    table = app_table(truth, ms, i_alt)
    present = list(dict.fromkeys(table["periode"]))
    if period_order is None:
        periods = sorted(present, key=_period_sort_key, reverse=True)
    else:
        periods = list(period_order)
        if sorted(periods) != sorted(present):
            raise ValueError(f"period_order {periods} is not the table's periods {present}")
    if pivot == "measures_on_top":
        pairs = [(m, p) for m in ms for p in periods]
        header1 = [None, None] + [m for m, _ in pairs]
        header2_tail = [p for _, p in pairs]
    else:
        pairs = [(m, p) for p in periods for m in ms]
        header1 = [None, None] + [p for _, p in pairs]
        header2_tail = [m for m, _ in pairs]
    second = "Kommune" if first_column == "Sagsemne" else "Sagsemne"
    header2 = [first_column, second] + header2_tail

    keys = list(dict.fromkeys(zip(table["Kommune"], table["Sagsemne"], strict=True)))
    key_pos = {k: i for i, k in enumerate(keys)}
    col_pos = {mp: j for j, mp in enumerate(pairs)}
    grid = np.zeros((len(keys), len(pairs)), dtype=float)  # pivot_wider gaps: NA -> 0
    is_int = np.array([m in COUNT_MEASURES for m, _ in pairs])
    rows_idx = np.array([key_pos[k] for k in zip(table["Kommune"], table["Sagsemne"], strict=True)], dtype=int)
    for m in ms:
        vals = table[m]
        v = np.asarray(vals.fillna(0), dtype=float) if m in COUNT_MEASURES else np.asarray(vals, dtype=float)
        v = np.where(np.isnan(v), 0.0, v)  # R: x[is.na(x)] <- 0 also catches NaN
        for p in periods:
            sel = np.asarray(table["periode"] == p)
            grid[rows_idx[sel], col_pos[(m, p)]] = v[sel]
    label = {"Kommune": 0, "Sagsemne": 1}
    order = sorted(range(len(keys)), key=lambda i: str(keys[i][label[first_column]]))
    rows = []
    for i in order:
        k = keys[i]
        cells: list = [k[label[first_column]], k[label[second]]]
        for j in range(len(pairs)):
            x = grid[i, j]
            cells.append(int(x) if is_int[j] else float(x))
        rows.append(cells)
    return header1, header2, rows


def write_xlsx_download(truth: pd.DataFrame, path, measures=MEASURES, pivot: str = "measures_on_top",
                        first_column: str = "Sagsemne", inf_as: str = "error", i_alt: str | None = None,
                        year: int = 2023, period_order: Sequence[str] | None = None,
                        merged_labels: str = "anchor") -> Path:
    """Write the Talportal's XLSX download (``excelfil.xlsx``) of *truth* with openpyxl; returns the path.

    One sheet ``Som tabel``: row 2 holds *first_column* and the other label
    in A-B and, from C on, the periods (``pivot="measures_on_top"``, row 1 =
    measure merged across its periods) or the measures
    (``pivot="periods_on_top"``, row 1 = period merged across its measures);
    data from row 3 sorted by column A, every NA and NaN written as 0; a
    non-finite percentage (``Inf``) as an error cell ``#NUM!``
    (``inf_as="error"``) or the text ``"Inf"`` (``inf_as="text"``); one blank
    row, then the footer ``Kilde: Ankestyrelsen ( 2023 )`` in column A.
    Periods are text cells. ``merged_labels="anchor"`` leaves a merged label
    only in the first cell (what openpyxl's ``merge_cells`` does);
    ``"every"`` keeps it in every cell of the merged range (openxlsx writes
    the label into each cell before merging). See :func:`xlsx_layout`.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    if inf_as not in ("error", "text"):
        raise ValueError(f"inf_as must be 'error' or 'text', got {inf_as!r}")
    if merged_labels not in ("anchor", "every"):
        raise ValueError(f"merged_labels must be 'anchor' or 'every', got {merged_labels!r}")
    header1, header2, rows = xlsx_layout(truth, measures, pivot, first_column, i_alt, period_order)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for j, v in enumerate(header1, start=1):
        if v is not None:
            ws.cell(row=1, column=j, value=v)
    for j, v in enumerate(header2, start=1):
        ws.cell(row=2, column=j, value=v)
    for i, cells in enumerate(rows, start=3):
        for j, v in enumerate(cells, start=1):
            if isinstance(v, float) and math.isinf(v):
                if inf_as == "error":
                    ws.cell(row=i, column=j).value = "#NUM!"  # openpyxl: data_type "e"
                else:
                    ws.cell(row=i, column=j, value="Inf" if v > 0 else "-Inf")
            else:
                ws.cell(row=i, column=j, value=v)
    ws.cell(row=len(rows) + 4, column=1, value=footer(year))
    # merge row 1 across each run of equal labels (the app: blocks of equal width)
    j = 3
    while j <= len(header1):
        k = j
        while k + 1 <= len(header1) and header1[k] == header1[j - 1]:
            k += 1
        if k > j:
            ref = f"{get_column_letter(j)}1:{get_column_letter(k)}1"
            if merged_labels == "anchor":
                ws.merge_cells(ref)
            else:
                ws.merged_cells.add(MergedCellRange(ws, ref))
        j = k + 1
    path = Path(path)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- what a reader returns

_S, _A, _H = (1, 0, 0), (0, 1, 0), (0, 0, 1)
_N, _O = (1, 1, 1), (0, 1, 1)
_PCT_VECTOR = {STADF_PCT: _S, OMG_PCT: _O, AENDR_PCT: _A, HJEM_PCT: _H}
_COUNT_VECTOR = {STADF: _S, AENDR: _A, HJEM: _H}


def _in_span(vectors, target) -> bool:
    if not vectors:
        return not any(target)
    m = np.array(vectors, dtype=float)
    return bool(np.linalg.matrix_rank(np.vstack([m, target])) == np.linalg.matrix_rank(m))


def _knowledge(ms, n_known: bool, usable: bool) -> tuple[bool, bool]:
    """(omgjort known, ændret and hjemvist known) from what a row shows, for n > 0."""
    vecs = [_COUNT_VECTOR[m] for m in ms if m in _COUNT_VECTOR]
    if n_known:
        vecs.append(_N)
    if usable:
        vecs.extend(_PCT_VECTOR[m] for m in ms if m in _PCT_VECTOR)
    return _in_span(vecs, _O), _in_span(vecs, _A) and _in_span(vecs, _H)


_ZERO_OF = {STADF_PCT: (_S,), AENDR_PCT: (_A,), HJEM_PCT: (_H,), OMG_PCT: (_A, _H)}


def _knowledge_ext(ms, pattern) -> tuple[bool, bool, bool]:
    """(n, omgjort, split) known by every inference a reader could make from a row, ratio algebra aside.

    Beyond :func:`_knowledge`: a percentage always shows whether its count is 0
    (``NaN``/0 against ``Inf`` or a positive number), and counts are never
    negative, so a known count equal to n makes the others 0, and omgjort = 0
    makes ændret = hjemvist = 0. *pattern* is (n from parts or the total,
    percentages finite, s = 0, a = 0, h = 0, o = 0, s = n, a = n, h = n, n = 0).
    """
    n_base, finite, zs, za, zh, zo, s_n, a_n, h_n, n_zero = pattern
    vecs = [_COUNT_VECTOR[m] for m in ms if m in _COUNT_VECTOR]
    if n_base:
        vecs.append(_N)
    zero = {_S: zs, _A: za, _H: zh}
    for m, units in _ZERO_OF.items():
        if m in ms and all(zero[u] for u in units):
            vecs.extend(units)
    while True:
        before = len(vecs)
        n_known = _in_span(vecs, _N)
        if n_known and n_zero:
            vecs.extend((_S, _A, _H))
        if n_known and finite:
            vecs.extend(_PCT_VECTOR[m] for m in ms if m in _PCT_VECTOR)
        if n_known:
            for unit, equal_n, others in ((_S, s_n, (_A, _H)), (_A, a_n, (_S, _H)), (_H, h_n, (_S, _A))):
                if equal_n and _in_span(vecs, unit):
                    vecs.extend(others)
        if za and zh and _in_span(vecs, _O):
            vecs.extend((_A, _H))
        vecs = list(dict.fromkeys(vecs))
        if len(vecs) == before:
            break
    n_known = _in_span(vecs, _N)
    return n_known, n_known and _in_span(vecs, _O), n_known and _in_span(vecs, _A) and _in_span(vecs, _H)


def can_recover(measures) -> bool:
    """Whether any row of a download with these ticked measures can give n and omgjort.

    The reader's rules (see :func:`expected_tidy`): n comes from the three
    parts (Stadfæstede + Ændrede/ophævede + Hjemviste sager) or from a finite
    ``Realitetsbehandlede sager i alt``; once n is known, each percentage
    gives its count (n × pct / 100), and counts combine linearly. With a set
    for which this is False, the reader raises DataError.

    >>> can_recover([REAL, OMG_PCT]), can_recover([OMG_PCT, HJEM_PCT]), can_recover([REAL])
    (True, False, False)
    """
    ms = _measures_arg(measures)
    n_known = REAL in ms or all(m in ms for m in (STADF, AENDR, HJEM))
    return n_known and _knowledge(ms, True, True)[0]


def needs_ratio_algebra(measures) -> bool:
    """Whether rows could be recovered only by dividing a count by a percentage.

    True when n cannot come from ``Realitetsbehandlede sager i alt`` or all
    three parts, but some of the parts and some percentage are ticked: e.g.
    Stadfæstede sager + Stadfæstelsesprocent gives n = 100 × stadfæstede /
    pct. The reader contract does not say whether a reader does that, so the
    tests leave these sets out.

    >>> needs_ratio_algebra([STADF, STADF_PCT]), needs_ratio_algebra([REAL, STADF, STADF_PCT])
    (True, False)
    """
    ms = _measures_arg(measures)
    parts = [m for m in (STADF, AENDR, HJEM) if m in ms]
    return REAL not in ms and len(parts) < 3 and bool(parts) and any(m in ms for m in PCT_MEASURES)


def expected_tidy(truth: pd.DataFrame, measures=MEASURES, fmt: str = "csv",
                  source: str | None = None) -> pd.DataFrame:
    """What a correct reader makes of the download of *truth*, one row per truth cell.

    Columns: ``kommune_app`` (the app's name), ``kommunekode``, ``kommune``
    (official), ``region``, ``period``, ``period_start``, ``period_end``,
    ``area`` (the Sagsemne, stripped), ``stadfaestet``, ``aendret``,
    ``hjemvist``, ``afvist`` (Int64, what the reader should return),
    ``n``, ``omgjort``, ``aendret_truth`` and ``hjemvist_truth`` (the truth,
    missing as 0), ``split_known``, ``recoverable``, ``status``, ``may_warn``,
    ``optional`` and ``split_optional`` (see below), plus ``source`` when
    *source* is given. ``fmt`` is ``"csv"``
    or ``"xlsx"``; for the xlsx the rows are the pivot's grid (every written
    Kommune × Sagsemne pair × every written period, gaps being all-zero cells).

    The reader's rules, applied to what the file shows for a row:

    * missing (``NA``, or 0 in the xlsx) is 0 cases; ``afvist`` is the
      ``Afviste sager`` value (missing = 0) when that column is ticked, else <NA>;
    * n is known from the three parts when all are ticked, or from
      ``Realitetsbehandlede sager i alt`` when it is finite: in the CSV when not
      ``NA`` (i.e. afvist not NA), in the xlsx when it is > 0 or the row shows
      afviste sager (0 may be a written NA);
    * once n is known and > 0, a finite percentage gives its count
      (n × pct / 100); counts combine linearly (omgjort = n − stadfæstet,
      ændret = omgjort − hjemvist, …). A row is *recoverable* when n and
      omgjort are known; its ændret/hjemvist split is known when both are.
      (Dividing a count by its percentage to find n is not assumed: see
      :func:`needs_ratio_algebra`.)

    ``status`` is

    ``"ok"``             in the reader's output;
    ``"dropped"``        n known to be 0 and no afviste sager shown: no cases,
                         dropped silently;
    ``"unrecoverable"``  shows cases but n or omgjort cannot be found: left out
                         and counted in the one ReaderWarning;
    ``"blank"``          every ticked cell is missing/0/NaN but n is not
                         known to be 0 (e.g. only Realitetsbehandlede +
                         Omgørelsesprocent, afvist NA, no omgjorte): nothing
                         to recover; a reader may drop it silently or count it
                         as unrecoverable;
    ``"absent"``         not in the file (CSV: a truth row with no cases).

    ``may_warn`` marks the rows a reader may count in its warning about rows
    it could not recover, or drop silently: the ``"blank"`` rows, and the
    ``"dropped"`` rows whose n = 0 shows only as a ``Realitetsbehandlede sager
    i alt`` of 0 next to ``NaN`` rates (a row of afviste sager only, with
    ``Afviste sager`` not ticked). For a kept row with n = 0 (afviste sager
    only) ``aendret``/``hjemvist`` are 0, which a reader may also leave <NA>.

    ``aendret``/``hjemvist`` are <NA> where the split is not known;
    ``stadfaestet`` is known wherever the row is recoverable.

    The rules above are what the tests require. A reader may know more from a
    row: a percentage always shows whether its count is 0 (``NaN``/0 against
    ``Inf`` or a positive number), and counts are never negative (omgjort = 0
    makes ændret = hjemvist = 0; a known count equal to n makes the others 0).
    ``optional`` marks the rows a reader may recover that way (in its output
    with the true counts, or left out), ``split_optional`` the rows whose split
    it may give (the true ændret and hjemvist, or <NA>).
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"fmt must be 'csv' or 'xlsx', got {fmt!r}")
    truth = _as_truth(truth)
    ms = _measures_arg(measures)
    nonempty = truth[_COUNTS].notna().any(axis=1)
    if fmt == "xlsx":
        written = truth[nonempty]
        pairs = written[["kommune", "sagsemne", "lovgivning"]].drop_duplicates(["kommune", "sagsemne"])
        periods = pd.DataFrame({"periode": list(dict.fromkeys(written["periode"]))})
        grid = pairs.merge(periods, how="cross")
        t = grid.merge(truth[["kommune", "sagsemne", "periode", *_COUNTS]], how="left",
                       on=["kommune", "sagsemne", "periode"])
        # truth rows outside the grid (no cases, in a pair or period the sheet lacks) are not in the file
        outside = truth.merge(grid[["kommune", "sagsemne", "periode"]], how="left", indicator=True,
                              on=["kommune", "sagsemne", "periode"])
        outside = outside[outside["_merge"] == "left_only"].drop(columns="_merge")
        present = np.r_[np.ones(len(t), dtype=bool), np.zeros(len(outside), dtype=bool)]
        t = pd.concat([t[TRUTH_COLUMNS], outside[TRUTH_COLUMNS]], ignore_index=True)
        for c in _COUNTS:
            t[c] = pd.array(t[c], dtype="Int64")
    else:
        t = truth.copy()
        present = np.asarray(nonempty)

    s0, a0, h0, f0 = (np.asarray(t[c].fillna(0), dtype=np.int64) for c in _COUNTS)
    f_na = np.asarray(t["afvist"].isna())
    n = s0 + a0 + h0
    o = a0 + h0
    parts_full = all(m in ms for m in (STADF, AENDR, HJEM))
    if REAL in ms:
        real_visible = ~f_na if fmt == "csv" else ~f_na & ((n > 0) | ((AFVIST in ms) & (f0 > 0)))
    else:
        real_visible = np.zeros(len(t), dtype=bool)
    n_known = parts_full | real_visible
    usable = n_known & ~f_na & (n > 0)
    o_known = np.zeros(len(t), dtype=bool)
    split = np.zeros(len(t), dtype=bool)
    for nk in (False, True):
        for us in (False, True):
            sel = (n_known == nk) & (usable == us)
            if sel.any():
                ok, sp = _knowledge(ms, nk, us)
                o_known[sel], split[sel] = ok, sp
    zero = n_known & (n == 0)
    recoverable = n_known & (o_known | zero)
    split_known = recoverable & (split | zero)

    # what a reader that also uses 0/NaN rates and non-negative counts can know (ratio algebra aside)
    finite = ~f_na & (n > 0)
    patterns = np.column_stack([n_known, finite, s0 == 0, a0 == 0, h0 == 0, o == 0,
                                s0 == n, a0 == n, h0 == n, n == 0])
    uniq, inverse = np.unique(patterns, axis=0, return_inverse=True)
    ext = np.array([_knowledge_ext(ms, tuple(bool(x) for x in row)) for row in uniq], dtype=bool).reshape(-1, 3)
    ext = ext[inverse.ravel()]
    recoverable_ext = recoverable | (ext[:, 0] & ext[:, 1])
    split_ext = split_known | (recoverable_ext & ext[:, 2])

    shown = np.zeros(len(t), dtype=bool)  # the row shows some case
    for m in ms:
        if m == REAL:
            shown |= ~f_na & (n > 0)
        elif m == STADF or m == STADF_PCT:
            shown |= s0 > 0
        elif m == AENDR or m == AENDR_PCT:
            shown |= a0 > 0
        elif m == HJEM or m == HJEM_PCT:
            shown |= h0 > 0
        elif m == AFVIST:
            shown |= f0 > 0
        elif m == OMG_PCT:
            shown |= o > 0
    afvist_shown = (AFVIST in ms) & (f0 > 0)
    status = np.where(
        ~present, "absent",
        np.where(recoverable & (n == 0) & ~afvist_shown, "dropped",
                 np.where(recoverable, "ok", np.where(shown, "unrecoverable", "blank"))))

    kt = kommune_table()
    names = t["kommune"].astype(object)
    known = names.isin(kt.index)
    code = names.map(kt["kommunekode"]).where(known, None)
    labels = [period_key(p) for p in t["periode"]]
    out = pd.DataFrame({
        "kommune_app": names.to_numpy(dtype=object),
        "kommunekode": code.to_numpy(dtype=object),
        "kommune": names.map(kt["kommune"]).where(known, None).to_numpy(dtype=object),
        "region": names.map(kt["region"]).where(known, None).to_numpy(dtype=object),
        "period": [x[0] for x in labels],
        "period_start": pd.to_datetime([x[1] for x in labels]),
        "period_end": pd.to_datetime([x[2] for x in labels]),
        "area": t["sagsemne"].astype(str).str.strip().to_numpy(dtype=object),
    })
    out["stadfaestet"] = pd.array(np.where(recoverable, s0, 0), dtype="Int64")
    out.loc[~recoverable, "stadfaestet"] = pd.NA
    for col, val in (("aendret", a0), ("hjemvist", h0)):
        out[col] = pd.array(val, dtype="Int64")
        out.loc[~split_known, col] = pd.NA
    out["afvist"] = pd.array(f0, dtype="Int64")
    if AFVIST not in ms:
        out["afvist"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["n"] = n
    out["omgjort"] = o
    out["aendret_truth"] = a0
    out["hjemvist_truth"] = h0
    out["split_known"] = split_known
    out["recoverable"] = recoverable
    out["status"] = status
    out["may_warn"] = (status == "blank") | ((status == "dropped") & ~parts_full)
    # a reader may also recover these (status unrecoverable or blank) rows ...
    out["optional"] = np.isin(status, ["unrecoverable", "blank"]) & recoverable_ext & ((n > 0) | afvist_shown)
    # ... and know the split of these
    out["split_optional"] = split_ext & ~split_known
    if source is not None:
        out["source"] = source
    return out
