"""Benchmark: danmark.read_talportal on a Talportal "CSV-fil" download vs a bare pyarrow read.

The file is SYNTHETIC: ``--rows`` rows in the layout of the Talportal's "Download CSV"
(R ``write.table(sep=";", dec=",", row.names=FALSE, fileEncoding="latin1")``, see
data/README.md): Latin-1, no BOM, quoted text and header, unquoted numbers, ``NA``,
``Inf``/``NaN``, decimal comma, 15 significant digits. Kommune names are the Talportal's
(Århus, Ålborg, Nordfyns, ...), subjects "SYNTHETIC sagsemne 001 - § 41" etc., every
(Kommune, Sagsemne, periode) unique, counts random and the measures derived as the app
derives them. Files live in a temporary directory, never in the repository.

Compared in one run: ``floor`` = pyarrow.csv.read_csv(latin1, ";", decimal ",", null
"NA").to_pandas(); ``danmark`` = danmark.read_talportal on the same file; ``odd ...`` and
``footer`` = danmark on the file with ONE odd cell or line. Peak RSS (VmHWM) comes from a
fresh subprocess per reader and file; times from one more subprocess that alternates all
readers ``--repeat`` times. A reader that raises is timed to the exception, and its
message is reported instead of a result.

Targets (issue): danmark <= 3x the floor (median of paired ratios), peak RSS < 1.5 GB,
and no odd cell costs more than 1.5x the clean danmark read (an allowed DataError too).

Run::

    python benchmarks/bench_read_talportal.py                 # 1,000,000 rows, 7 rounds
    python benchmarks/bench_read_talportal.py --rows 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
LIMIT_MB = 1.5e9 / 2**20  # 1.5 GB, in the MiB that VmHWM reports
MAX_RATIO, MAX_ODD_RATIO = 3.0, 1.5

# The 98 kommuner as the Talportal names them (ast_talportal app_data/kommuner.csv).
KOMMUNER = """\
København;Frederiksberg;Ballerup;Brøndby;Dragør;Gentofte;Gladsaxe;Glostrup;Herlev;Albertslund;
Hvidovre;Høje-Taastrup;Lyngby-Taarbæk;Rødovre;Ishøj;Tårnby;Vallensbæk;Furesø;Allerød;
Fredensborg;Helsingør;Hillerød;Hørsholm;Rudersdal;Egedal;Frederikssund;Greve;Køge;Halsnæs;
Roskilde;Solrød;Gribskov;Odsherred;Holbæk;Faxe;Kalundborg;Ringsted;Slagelse;Stevns;Sorø;Lejre;
Lolland;Næstved;Guldborgsund;Vordingborg;Bornholm;Middelfart;Assens;Faaborg-Midtfyn;Kerteminde;
Nyborg;Odense;Svendborg;Nordfyns;Langeland;Ærø;Haderslev;Billund;Sønderborg;Tønder;Esbjerg;
Fanø;Varde;Vejen;Aabenraa;Fredericia;Horsens;Kolding;Vejle;Herning;Holstebro;Lemvig;Struer;
Syddjurs;Norddjurs;Favrskov;Odder;Randers;Silkeborg;Samsø;Skanderborg;Århus;Ikast-Brande;
Ringkøbing-Skjern;Hedensted;Morsø;Skive;Thisted;Viborg;Brønderslev;Frederikshavn;
Vesthimmerlands;Læsø;Rebild;Mariagerfjord;Jammerbugt;Ålborg;Hjørring"""
KOMMUNER = KOMMUNER.replace("\n", "").split(";")
HEADER = ["Kommune", "Lovgivning", "Sagsemne", "periode", "Realitetsbehandlede sager i alt",
          "Stadfæstede sager", "Ændrede/ophævede sager", "Hjemviste sager", "Afviste sager",
          "Omgørelsesprocent"]
FOOTER = '"Kilde: Ankestyrelsen ( 2023 )"'  # the Excel download's footer, R paste() spacing

# Variants of the clean file: (label, the middle row's measure cells or None, add footer,
# may raise DataError). Row cells: Realitetsbehandlede;Stadf;Aendr;Hjem;Afvist;Omgoerelse.
VARIANTS = [
    # "5.000": 5, or 5000 with a thousands dot? Nothing in the row settles it (afvist NA ->
    # Realitetsbehandlede NA, rate 0/0 = NaN), so a DataError is acceptable here.
    ("odd 5.000", "NA;5.000;NA;NA;NA;NaN", False, True),
    # Legitimate oddities that a reader must accept without slowing down:
    ("odd ' 5 '", "NA; 5 ;NA;NA;NA;NaN", False, False),          # padded count
    # R prints a double 100000 as 1e+05 (shorter than fixed notation, default scipen=0)
    ("odd 1e+05", "1e+05;1e+05;NA;NA;1;0", False, False),
    ("footer", None, True, False),                               # one "Kilde: ..." last line
]


def r_number(x: np.ndarray) -> np.ndarray:
    """Format floats as R's write.table(dec=",") does: 15 significant digits, Inf, NaN."""
    uniq, inv = np.unique(x, return_inverse=True)  # format each distinct value once
    text = np.array([("Inf" if v > 0 else "-Inf") if np.isinf(v) else "NaN" if np.isnan(v)
                     else f"{v:.15g}".replace(".", ",") for v in uniq], dtype=object)
    return text[inv.ravel()]


def synthetic_lines(rows: int, seed: int = 2024) -> np.ndarray:
    """The data lines (no header) of a SYNTHETIC CSV-fil download, as an object array."""
    periods = [str(y) for y in range(2014, 2025)] + [
        f"{y} - {q}. kvartal" for y in range(2014, 2025) for q in range(1, 5)]
    n_subj = -(-rows // (len(KOMMUNER) * len(periods)))
    subjects = [f"SYNTHETIC sagsemne {i + 1:03d} - § {41 + i % 80}" for i in range(n_subj)]
    # every (sagsemne, kommune, periode) once, in that nesting, cut at `rows`
    s, k, p = (a.ravel()[:rows] for a in np.meshgrid(
        np.arange(n_subj), np.arange(len(KOMMUNER)), np.arange(len(periods)), indexing="ij"))
    def quoted(xs, tail=""):  # each distinct text cell once, indexed below
        return np.array([f'"{x}";{tail}' for x in xs], dtype=object)
    line = quoted(KOMMUNER, '"Serviceloven";')[k] + quoted(subjects)[s] + quoted(periods)[p]

    # Counts: random; a zero is written NA, as in the app ("no cases" is missing, not 0).
    rng = np.random.default_rng(seed)
    stadf, aendr, hjem, afvist = (rng.poisson(lam, rows) for lam in (8.0, 1.0, 3.0, 1.0))
    # The app: Realitetsbehandlede = total - afvist WITHOUT replacing NA (so NA when afvist
    # is NA); Omgoerelsesprocent = 100 (aendr + hjem) / Realitetsbehandlede with NA -> 0,
    # hence Inf (or NaN for 0/0) whenever afvist is NA.
    real = (stadf + aendr + hjem).astype(float)
    real[afvist == 0] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * (aendr + hjem) / np.nan_to_num(real, nan=0.0)
    ints = np.array([str(i) for i in range(int((stadf + aendr + hjem + afvist).max()) + 1)],
                    dtype=object)
    counts = ints.copy()
    counts[0] = "NA"  # a zero count is missing; a zero Realitetsbehandlede is "0"
    line = line + np.where(np.isnan(real), "NA", ints[np.nan_to_num(real).astype(int)])
    for c in (stadf, aendr, hjem, afvist):
        line = line + ";" + counts[c]
    return line + ";" + r_number(pct)


def write(path: Path, lines: np.ndarray, footer: bool = False) -> None:
    text = ";".join(f'"{h}"' for h in HEADER) + "\n" + "\n".join(lines) + "\n"
    path.write_bytes((text + (FOOTER + "\n" if footer else "")).encode("latin-1"))


# The child process: reads files with the floor or danmark, reports peak RSS or times.
CHILD = textwrap.dedent(
    """
    import gc, json, resource, sys, time, warnings
    sys.path.insert(0, {repo!r})
    import pyarrow.csv as pc

    def floor(path):
        # Arrow parses Inf, -Inf and NaN into float64 by itself; only "NA" is a null.
        return pc.read_csv(path, read_options=pc.ReadOptions(encoding="latin1"),
                           parse_options=pc.ParseOptions(delimiter=";"),
                           convert_options=pc.ConvertOptions(decimal_point=",",
                                                             null_values=["NA"])).to_pandas()

    def peak_mb():  # VmHWM: our own peak RSS (Linux ru_maxrss starts from the parent's)
        try:
            with open("/proc/self/status") as fh:
                return next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def run(reader, path):  # (seconds, result or None, error text or None)
        t = time.perf_counter()
        try:
            out, err = reader(path), None
        except Exception as e:
            out, err = None, f"{{type(e).__name__}}: {{e}}".replace(path, "<file>")
        return time.perf_counter() - t, out, err and err.splitlines()[0][:300]

    mode, jobs = sys.argv[1], json.loads(sys.argv[2])   # jobs: [[label, reader, path], ...]
    readers = {{"floor": floor}}
    if any(j[1] == "danmark" for j in jobs):
        try:
            import danmark
            readers["danmark"] = danmark.read_talportal  # imports the reader module now
        except Exception as e:
            print(json.dumps({{"import_error": f"{{type(e).__name__}}: {{e}}"}}))
            raise SystemExit(0)
    if mode == "mem":  # one job: peak RSS of that read alone
        (label, which, path), = jobs
        base = peak_mb()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            sec, out, err = run(readers[which], path)
        res = {{"peak_mb": peak_mb(), "base_mb": base, "error": err, "warnings": len(w),
               "warning": str(w[0].message).replace(path, "<file>")[:200] if w else None}}
        if out is not None:
            res["shape"] = list(out.shape)
            res["dtypes"] = {{str(c): str(t) for c, t in out.dtypes.items()}}
        print(json.dumps(res))
    else:  # "time": alternate all jobs, `repeat` rounds after one untimed warm-up round
        repeat = int(sys.argv[3])
        times, errors = {{j[0]: [] for j in jobs}}, {{}}
        warnings.simplefilter("ignore")
        for rnd in range(repeat + 1):
            for label, which, path in jobs:
                sec, out, err = run(readers[which], path)
                del out; gc.collect()
                if rnd:
                    times[label].append(sec)
                if err:
                    errors[label] = err
        print(json.dumps({{"times": times, "errors": errors}}))
    """
)


def child(*args) -> dict:
    """Run CHILD with *args* in a fresh interpreter; its last stdout line is JSON."""
    out = subprocess.run([sys.executable, "-c", CHILD.format(repo=str(REPO)), *map(str, args)],
                         capture_output=True, text=True)
    if out.returncode or not out.stdout.strip():
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1,000,000)")
    ap.add_argument("--repeat", type=int, default=7, help="timed rounds (default 7)")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows while the children run
    with tempfile.TemporaryDirectory(prefix="danmark_bench_") as tmp:
        t0 = time.perf_counter()
        lines = synthetic_lines(args.rows)
        clean = Path(tmp) / "SYNTHETIC_talportal.csv"
        write(clean, lines)
        jobs = [("floor", "floor", str(clean)), ("danmark", "danmark", str(clean))]
        mid = len(lines) // 2
        keep = lines[mid]
        for i, (label, cells, footer, _) in enumerate(VARIANTS):
            if cells is not None:  # keep the row's Kommune, Lovgivning, Sagsemne, periode
                lines[mid] = ";".join(keep.split(";")[:4] + [cells])
            write(Path(tmp) / f"SYNTHETIC_variant{i}.csv", lines, footer)
            lines[mid] = keep
            jobs.append((label, "danmark", str(Path(tmp) / f"SYNTHETIC_variant{i}.csv")))
        print(f"SYNTHETIC CSV-fil download: {args.rows:,} rows, {clean.stat().st_size / 2**20:.0f}"
              f" MiB (written in {time.perf_counter() - t0:.1f} s); middle row: {keep[:60]}...")
        del lines
        mem = {job[0]: child("mem", json.dumps([job])) for job in jobs}  # one process each
        res = child("time", json.dumps(jobs), args.repeat)
        broken = [r["import_error"] for r in (res, *mem.values()) if "import_error" in r]
        if broken:  # danmark does not import (e.g. mid-rewrite): time the floor only
            print(f"danmark could not be imported: {broken[0]}")
            jobs = jobs[:1]
            res = child("time", json.dumps(jobs), args.repeat)
    times, errors = res["times"], res["errors"]
    dtypes = mem["floor"].get("dtypes", {})
    print("floor dtypes: " + ", ".join(f"{c}:{t}" for c, t in dtypes.items()))
    print(f"\n{args.repeat} alternating rounds: best time (median), peak RSS of a fresh "
          f"process (RSS after imports), median of the paired time ratios")

    def ratio(a, b):  # median of the per-round ratios
        return float(np.median(np.array(times[a]) / np.array(times[b])))
    verdicts = []
    for label, _, _ in jobs:
        m, err = mem[label], errors.get(label) or mem[label].get("error")
        out = f"{label:10s} {min(times[label]):6.3f} s ({np.median(times[label]):.3f})  "
        out += f"peak {m['peak_mb']:5.0f} MiB ({m['base_mb']:.0f})"
        if label != "floor":
            ref, limit = ("floor", MAX_RATIO) if label == "danmark" else ("danmark", MAX_ODD_RATIO)
            allowed = (err or "").startswith("DataError") and any(
                v[0] == label and v[3] for v in VARIANTS)  # only "5.000" may raise
            checks = [("raised", err and not allowed), ("slow", ratio(label, ref) > limit),
                      ("memory", m["peak_mb"] >= LIMIT_MB)]
            why = [name for name, bad in checks if bad]
            verdict = f"FAIL ({', '.join(why)})" if why else "PASS"
            if ref == "danmark" and "danmark" in errors:  # no clean read to compare with
                verdict = "n/a (the clean read raised)"
            verdicts.append(verdict)
            out += f"  {ratio(label, ref):5.2f}x {ref} (<= {limit}x)  {verdict}"
        if err:
            out += f"\n{'':11s}raised after {min(times[label]):.3f} s: {err}"
        elif "shape" in m:
            out += f"  -> {m['shape'][0]:,} x {m['shape'][1]}"
        if m.get("warnings"):
            out += f"\n{'':11s}{m['warnings']} warning(s), first: {m['warning']}"
        print(out)
    if verdicts:
        print(f"\nOVERALL: {'PASS' if set(verdicts) == {'PASS'} else 'FAIL'} (danmark <= "
              f"{MAX_RATIO}x floor, peak < 1.5 GB = {LIMIT_MB:.0f} MiB, odd <= "
              f"{MAX_ODD_RATIO}x clean)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
