"""The Danmarkskort: a choropleth of the 98 kommuner from the bundled boundaries."""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath

from ..errors import DataError
from ._style import (
    BORNHOLM as _BORNHOLM,
)
from ._style import (
    BORNHOLM_BOX as _BORNHOLM_BOX,
)
from ._style import (
    PALETTE,
    PCT_LABEL,
)
from ._style import (
    as_proportions as _proportions,
)
from ._style import (
    as_str_list as _as_list,
)
from ._style import (
    axes_or_new as _axes,
)
from ._style import (
    danish_ticks as _danish_ticks,
)
from ._style import (
    fmt_number as _fmt,
)
from ._style import (
    styled as _styled,
)

# -------------------------------------------------------------------- map


@functools.lru_cache(maxsize=1)
def _default_boundaries_text() -> str:
    from .._paths import data_path

    return data_path("geo/kommuner.geojson").read_text(encoding="utf-8")


def _load_boundaries(boundaries):
    if boundaries is None:
        return json.loads(_default_boundaries_text())
    if isinstance(boundaries, str | Path):
        with open(boundaries, encoding="utf-8") as fh:
            return json.load(fh)
    return boundaries


def _signed_area(ring):
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _polygons(geometry, code):
    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        raise DataError(f"kommune {code}: feature has no geometry", column="geometry")
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise DataError(f"kommune {code}: geometry type {kind!r} is not Polygon or MultiPolygon", column="geometry")


def _feature_path(polygons, shift=(0.0, 0.0)):
    """One compound Path per municipality; exteriors counter-clockwise, holes clockwise.

    With consistent orientation the holes stay empty under both the nonzero
    and the even-odd fill rule. Also returns the centroid of the largest part.
    """
    verts, codes = [], []
    best_area, centroid = -1.0, (np.nan, np.nan)
    for poly in polygons:
        for r, ring in enumerate(poly):
            arr = np.asarray(ring, dtype=float)[:, :2] + np.asarray(shift)
            if len(arr) > 1 and np.allclose(arr[0], arr[-1]):
                arr = arr[:-1]
            if len(arr) < 3:
                continue
            a = _signed_area(arr)
            if (r == 0 and a < 0) or (r > 0 and a > 0):
                arr, a = arr[::-1], -a
            if r == 0 and abs(a) > best_area:
                x, y = arr[:, 0], arr[:, 1]
                cross = x * np.roll(y, -1) - np.roll(x, -1) * y
                if a != 0:
                    centroid = (float(np.sum((x + np.roll(x, -1)) * cross) / (6 * a)),
                                float(np.sum((y + np.roll(y, -1)) * cross) / (6 * a)))
                else:
                    centroid = (float(x.mean()), float(y.mean()))
                best_area = abs(a)
            verts.append(np.vstack([arr, arr[:1]]))
            codes.append(np.r_[MplPath.MOVETO, np.full(len(arr) - 1, MplPath.LINETO), MplPath.CLOSEPOLY])
    if not verts:
        return None, centroid
    return MplPath(np.vstack(verts), np.concatenate(codes).astype(MplPath.code_type)), centroid


def _map_series(values, name, codes):
    """Series indexed by kommunekode (names and int codes accepted) restricted to *codes*."""
    if values is None:
        return pd.Series(np.nan, index=codes)
    if isinstance(values, dict):
        values = pd.Series(values)
    if not isinstance(values, pd.Series):
        raise DataError(f"{name} must be a pandas Series indexed by kommunekode; got {type(values).__name__}")
    from ..table.kommuner import normalize_kommune

    known = set(codes)
    keys = []
    for pos, key in enumerate(values.index):
        text = str(key).strip()
        if re.fullmatch(r"\d{1,4}", text) and text.lstrip("0").zfill(3) in known:
            keys.append(text.lstrip("0").zfill(3))
            continue
        code = normalize_kommune(key, row=pos, column=name)[0]
        if code not in known:
            raise DataError(f"{name}: kommune {key!r} (code {code}) is not in the boundaries", row=pos, column=name)
        keys.append(code)
    vals = _proportions(values, name, allow_nan=True, labels=list(values.index))
    out = pd.Series(vals, index=keys)
    if out.index.duplicated().any():
        dup = out.index[out.index.duplicated()][0]
        raise DataError(f"{name}: kommune {dup} appears more than once", column=name)
    return out.reindex(codes)


def _hatched(hatch, codes, vals):
    """Positions (in *codes*) of the kommuner to cross-hatch: listed in *hatch* and with a value."""
    if hatch is None:
        return np.zeros(0, dtype=int)
    if isinstance(hatch, pd.Series) and hatch.dtype == bool:
        flags = _map_series(hatch.astype(float), "hatch", codes)
        keys = set(flags.index[flags.to_numpy() == 1.0])
    else:
        names = _as_list(hatch)
        keys = set(_map_series(pd.Series(1.0, index=names), "hatch", codes).dropna().index) if names else set()
    has = vals.notna().to_numpy()
    return np.array([i for i, c in enumerate(codes) if c in keys and has[i]], dtype=int)


@_styled
def kommune_map(values=None, boundaries=None, *, ax=None, cmap="viridis", vmin=None, vmax=None,
                label=PCT_LABEL, missing_label="ingen data i pakken", hatch_missing=True,
                annotate=None, uncertainty=None, uncertainty_scale=0.5, bornholm_inset=True,
                colorbar=True, hatch=None, hatch_label="antal sager ikke oplyst"):
    """Choropleth of the 98 municipalities.

    Parameters
    ----------
    values : Series, optional
        Proportions in [0, 1] indexed by kommunekode (3-digit string; names
        and integer codes are also accepted), shown in % on the colourbar.
        Municipalities without a value (absent or NaN) are drawn light grey,
        hatched, and listed in the legend as *missing_label*: nothing is
        filled in for them. With ``values=None`` only the outlines are drawn.
    boundaries : dict or path, optional
        GeoJSON FeatureCollection whose features carry ``kommunekode``
        (lon/lat, Polygon or MultiPolygon, holes allowed). Default: the
        bundled ``data/geo/kommuner.geojson``.
    cmap, vmin, vmax :
        Colour map (default ``viridis``, readable with colour blindness and
        in greyscale) and its range as proportions (default: the data range).
    label : str
        Colourbar label.
    annotate : list of str, optional
        Kommunekoder (or names) to label at the centroid of their largest part.
    uncertainty : Series, optional
        Interval widths (proportions) indexed like *values*. A municipality's
        colour is faded towards white as its interval widens: opacity falls
        linearly from 1 at width 0 to 0.25 at width >= *uncertainty_scale*
        (default 0.5, i.e. 50 percentage points), so confident colours stand
        out and noisy ones recede. Units without a width keep full opacity.
    bornholm_inset : bool
        Draw Bornholm moved into a framed box north-east of Zealand (the
        usual Danish map layout) instead of at its true position.
    colorbar : bool
        Add a colourbar (only when there are values).
    hatch : list of str or boolean Series, optional
        Kommuner (codes or names; or a boolean Series indexed like *values*)
        whose colour is overlaid with cross-hatching and listed in the legend
        as *hatch_label*: e.g. the rates published without a number of cases,
        whose uncertainty cannot be shown. Kommuner without a value are not
        hatched again.

    Returns
    -------
    Axes
        The municipalities are one :class:`~matplotlib.collections.PathCollection`
        per group, with gid ``"kommuner"`` (with data) and ``"kommuner-mangler"``
        (missing), so that ``len(coll.get_paths())`` counts municipalities.

    Examples
    --------
    >>> ax = kommune_map(pd.Series({"101": 0.3, "269": 0.7}))
    >>> sum(len(c.get_paths()) for c in ax.collections)
    98
    >>> ax = kommune_map(pd.Series({"101": 0.3, "269": 0.7}), hatch=["269"])
    >>> [len(c.get_paths()) for c in ax.collections if c.get_gid() == "kommuner-skraveret"]
    [1]
    >>> plt.close("all")
    """
    geo = _load_boundaries(boundaries)
    if not isinstance(geo, dict) or not isinstance(geo.get("features"), list):
        raise DataError("boundaries must be a GeoJSON FeatureCollection with a 'features' list")
    codes, paths, centroids, props = [], [], {}, {}
    for i, feat in enumerate(geo["features"]):
        p = (feat or {}).get("properties") or {}
        raw_code = p.get("kommunekode")
        if raw_code is None:
            raise DataError("boundary feature has no 'kommunekode' property", row=i, column="kommunekode")
        code = str(raw_code).strip().lstrip("0").zfill(3)
        if code in centroids:
            raise DataError(f"kommunekode {code} appears twice in the boundaries", row=i, column="kommunekode")
        polys = _polygons(feat.get("geometry"), code)
        shift = (0.0, 0.0)
        if bornholm_inset and code == _BORNHOLM:
            pts = np.array([pt[:2] for poly in polys for pt in poly[0]], dtype=float)
            shift = (_BORNHOLM_BOX[0] - pts[:, 0].min(), _BORNHOLM_BOX[1] - pts[:, 1].min())
        path, cen = _feature_path(polys, shift)
        if path is None:
            raise DataError(f"kommune {code}: empty geometry", row=i, column="geometry")
        codes.append(code)
        paths.append(path)
        centroids[code] = cen
        props[code] = p
    vals = _map_series(values, "values", codes)
    widths = _map_series(uncertainty, "uncertainty", codes) if uncertainty is not None else None
    hatched = _hatched(hatch, codes, vals)
    if uncertainty_scale <= 0:
        raise DataError("uncertainty_scale must be positive", column="uncertainty_scale")

    ax = _axes(ax, (6.5, 5.6))
    has = vals.notna().to_numpy()
    finite = vals.to_numpy()[has]
    lo = float(_proportions([vmin], "vmin")[0]) if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = float(_proportions([vmax], "vmax")[0]) if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        lo, hi = lo - 0.01, hi + 0.01
    norm = Normalize(100 * lo, 100 * hi)
    cm = plt.get_cmap(cmap)
    edge = {"edgecolors": "white", "linewidths": 0.35}

    handles = []
    if values is None:
        coll = PathCollection(paths, facecolors=PALETTE["lightgrey"], **edge)
        coll.set_gid("kommuner")
        ax.add_collection(coll)
    else:
        idx = np.flatnonzero(has)
        face = cm(norm(100 * vals.to_numpy()[idx]))
        if widths is not None:
            w = widths.to_numpy()[idx]
            alpha = np.where(np.isnan(w), 1.0, 1.0 - 0.75 * np.clip(w / uncertainty_scale, 0, 1))
            face[:, 3] = alpha
        coll = PathCollection([paths[i] for i in idx], facecolors=face, **edge)
        coll.set_gid("kommuner")
        ax.add_collection(coll)
        miss = np.flatnonzero(~has)
        if miss.size:
            hatch = "////" if hatch_missing else None
            mcoll = PathCollection([paths[i] for i in miss], facecolors="#EEEEEE", edgecolors="#9A9A9A",
                                   linewidths=0.35, hatch=hatch)
            mcoll.set_gid("kommuner-mangler")
            mcoll.set_label(missing_label)
            ax.add_collection(mcoll)
            handles.append(Patch(facecolor="#EEEEEE", edgecolor="#9A9A9A", hatch=hatch, label=missing_label))
        if hatched.size:
            hcoll = PathCollection([paths[i] for i in hatched], facecolors="none", edgecolors="#333333",
                                   linewidths=0.0, hatch="xxxx")
            hcoll.set_gid("kommuner-skraveret")
            ax.add_collection(hcoll)
            handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="xxxx", label=hatch_label))
        if widths is not None:
            mid = cm(0.5)
            handles.append(Patch(facecolor=mid, edgecolor="none", label="smalt interval"))
            handles.append(Patch(facecolor=to_rgba(mid, 0.25), edgecolor="none",
                                 label=f"bredt interval (≥ {_fmt(100 * uncertainty_scale)} procentpoint)"))
        if colorbar and finite.size:
            sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
            cbar = ax.get_figure().colorbar(sm, ax=ax, shrink=0.6, pad=0.02)
            cbar.set_label(label)
            _danish_ticks(cbar.ax.yaxis)
    if bornholm_inset and _BORNHOLM in centroids:
        b = paths[codes.index(_BORNHOLM)].get_extents()
        ax.add_patch(Rectangle((b.x0 - 0.08, b.y0 - 0.06), b.width + 0.16, b.height + 0.12, fill=False,
                               edgecolor=PALETTE["grey"], lw=0.7, gid="bornholm-inset"))
    for key in _as_list(annotate):
        text = str(key).strip()
        code = text.lstrip("0").zfill(3) if re.fullmatch(r"\d{1,4}", text) else None
        if code not in centroids:
            from ..table.kommuner import normalize_kommune

            code = normalize_kommune(key, column="annotate")[0]
            if code not in centroids:
                raise DataError(f"annotate: kommune {key!r} is not in the boundaries", column="annotate")
        p = props[code]
        name = p.get("kommune") or p.get("navn") or p.get("name")
        if not name:
            from ..table.kommuner import normalize_kommune

            name = normalize_kommune(code)[1]
        ax.annotate(str(name), centroids[code], ha="center", va="center", fontsize=7,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
    ax.autoscale_view()
    lat0 = float(np.mean(ax.get_ylim()))
    ax.set_aspect(1.0 / math.cos(math.radians(lat0)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if handles:
        ax.legend(handles=handles, loc="upper left")
    return ax


# -------------------------------------------------------------------- the honest map

#: kommuner with fewer realitetsbehandlede sager than this are hatched on :func:`estimates_map`
MIN_CASES = 10
_MAP_SOURCE = ("Ankestyrelsens Talportal (sager pr. kommune), beregnet med danmark; kommunegrænser: DAGI, "
               "Styrelsen for Dataforsyning og Infrastruktur")


def map_field(table, area=None, period=None) -> pd.DataFrame:
    """The rows of one area and period of an estimates table (:func:`danmark.estimates_table`).

    Default: the area and period with the most kommuner with cases (then the latest period, then
    the most cases). Raises :class:`DataError` when the table has no such rows.

    Examples
    --------
    >>> t = pd.DataFrame({"kommunekode": ["101", "101", "269"], "area": ["voksenhandicap"] * 3,
    ...                   "period": ["2023", "2024", "2024"], "n": [5, 7, 9]})
    >>> map_field(t)["period"].unique().tolist()
    ['2024']
    """
    from ..table.periods import parse_period

    if not isinstance(table, pd.DataFrame) or not {"kommunekode", "area", "period", "n"} <= set(table.columns):
        raise DataError("table must be an estimates table (danmark.estimates_table) with kommunekode, area, "
                        "period and n", column="table")
    t = table
    if area is not None:
        t = t[t["area"].astype(str).str.lower() == str(area).lower()]
    if period is not None:
        try:
            label = parse_period(period)[0]
        except DataError:
            label = str(period).strip()
        t = t[t["period"].astype(str) == label]
    if t.empty:
        have = ", ".join(f"{a} {p}" for a, p in table[["area", "period"]].drop_duplicates().to_numpy())
        raise DataError(f"no rows for area {area!r} and period {period!r}; the table has: {have or 'no rows'}",
                        column="area" if area is not None else "period")
    n = pd.to_numeric(t["n"], errors="coerce").fillna(0)
    score = pd.DataFrame({"units": n > 0, "n": n, "area": t["area"], "period": t["period"]}).groupby(
        ["area", "period"]).agg(units=("units", "sum"), n=("n", "sum"))

    def key(ap):
        a, p = ap
        try:
            end = parse_period(p)[2]
        except DataError:
            end = pd.Timestamp.min
        return (-score.loc[ap, "units"], -end.value, -score.loc[ap, "n"], str(a))

    a, p = sorted(score.index, key=key)[0]
    return t[(t["area"] == a) & (t["period"] == p)]


@_styled
def estimates_map(table, *, ax=None, area=None, period=None, min_cases=MIN_CASES, cmap="RdBu_r",
                  source=_MAP_SOURCE, title=True, boundaries=None):
    """The Danmarkskort drawn from the estimates: each kommune coloured by P(above the reference rate).

    Not the raw rate: a kommune with 3 of 4 cases reversed is coloured by how sure the model is that
    its true rate lies above the reference, so few cases give a pale colour near the middle.

    Parameters
    ----------
    table : DataFrame
        :func:`danmark.estimates_table` (columns kommunekode, area, period, n, prob_above); one area
        and period is drawn (:func:`map_field` chooses when *area* / *period* are not given).
    min_cases : int
        Kommuner with fewer realitetsbehandlede sager are cross-hatched (their colour rests mostly on
        the prior).
    cmap : str
        A diverging colour map on the fixed scale 0 (surely below) to 1 (surely above), 0.5 in the middle.
    source : str or None
        The figure's "Kilde:" line ("Kilde: " is prepended); None: no line (the caller adds one).
    title : bool or str
        A Danish title naming the area and period (True), this text, or none (False).

    Returns
    -------
    Axes
        The kommuner with a probability are the collection with gid ``"kommuner"`` (facecolors in the
        boundaries' order), the hatched ones ``"kommuner-skraveret"``, those without ``"kommuner-mangler"``.

    Examples
    --------
    >>> t = pd.DataFrame({"kommunekode": ["101", "269"], "area": "voksenhandicap", "period": "2024",
    ...                   "n": [400, 4], "prob_above": [0.99, 0.6]})
    >>> ax = estimates_map(t)
    >>> [len(c.get_paths()) for c in ax.collections if c.get_gid() == "kommuner-skraveret"]
    [1]
    >>> plt.close("all")
    """
    from ..table.words import area_da, period_da
    from .kommune import source_line

    if isinstance(min_cases, bool) or not isinstance(min_cases, int | np.integer) or min_cases < 0:
        raise DataError(f"min_cases must be a whole number >= 0; got {min_cases!r}", column="min_cases")
    field = map_field(table, area, period)
    if "prob_above" not in field.columns:
        raise DataError("table has no prob_above column (danmark.estimates_table)", column="prob_above")
    codes = field["kommunekode"].astype(str).str.strip().str.zfill(3)
    prob = pd.to_numeric(field["prob_above"], errors="coerce").astype(float).to_numpy()
    n = pd.to_numeric(field["n"], errors="coerce").fillna(0).to_numpy()
    values = pd.Series(prob, index=codes.to_numpy()).dropna()
    few = [c for c, p, k in zip(codes, prob, n, strict=True) if not np.isnan(p) and k < min_cases]
    ax = kommune_map(values, boundaries, ax=ax, cmap=cmap, vmin=0.0, vmax=1.0, colorbar=False,
                     missing_label="ingen sager eller intet landsgennemsnit", hatch=few or None,
                     hatch_label=f"under {min_cases} sager: farven hviler mest på antagelsen")
    fig = ax.get_figure()
    for coll in ax.collections:  # grey borders: a kommune at 0.5 is white, and must not vanish into the page
        if coll.get_gid() == "kommuner":
            coll.set_edgecolor("#8C8C8C")
            coll.set_linewidth(0.3)
    legend = ax.get_legend()
    if legend is not None:  # below the map, not over Jutland
        ax.legend(handles=legend.legend_handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), borderaxespad=0.2)
    sm = mpl.cm.ScalarMappable(norm=Normalize(0.0, 1.0), cmap=plt.get_cmap(cmap))
    cbar = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.02, ticks=[0, 0.25, 0.5, 0.75, 1])
    cbar.ax.set_yticklabels(["0 (sikkert under)", "0,25", "0,5 (ved ikke)", "0,75", "1 (sikkert over)"])
    cbar.set_label("sandsynlighed for at ligge\nover landsgennemsnittet")
    if title:
        a, p = field["area"].iloc[0], field["period"].iloc[0]
        ax.set_title(title if isinstance(title, str) else
                     f"{area_da(a).capitalize()}, {period_da(p)}: over eller under landsgennemsnittet?")
    if source:
        source_line(fig, source)
    return ax
