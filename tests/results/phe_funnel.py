"""Reference values: PHE funnel-plot limits and significance labels for proportions.

Source: R package PHEindicatormethods (GPL-3), ``dhsc-govuk/PHEindicatormethods`` at commit
5302983f773676386c5e90146311365134fff96b, ``tests/testthat/testdata_funnel_prop_*.csv``: the
package's expected output of

    calculate_funnel_limits(data, numerator, denominator,
                            statistic = "proportion", multiplier = 100)

and of its significance labelling. The three CSV files are shipped unchanged (BOM removed) in
``tests/data/phe_funnel_proportions/`` with a README. Limits are in per cent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data" / "phe_funnel_proportions"

INPUTS = DATA / "testdata_funnel_prop_inputs.csv"
OUTPUTS = DATA / "testdata_funnel_prop_outputs.csv"
OUTPUTS_AXIS_VARIATION = DATA / "testdata_funnel_prop_outputs_with_axis_variation.csv"

#: limit columns and the two-sided level each belongs to (0.025 / 0.001 one-sided tails)
LIMIT_COLUMNS = {
    "Lower2s0025limit": ("lower", 0.95),
    "Upper2s0025limit": ("upper", 0.95),
    "Lower3s0001limit": ("lower", 0.998),
    "Upper3s0001limit": ("upper", 0.998),
}

#: PHE significance label for each danmark flag (default levels)
LABELS = {
    "above 99.8%": "High (0.001)",
    "above 95%": "High (0.025)",
    "within": "Not significant",
    "below 95%": "Low (0.025)",
    "below 99.8%": "Low (0.001)",
}

#: published Baseline (per cent) of each outputs file, as printed there
BASELINE = 80.642448
BASELINE_AXIS_VARIATION = 82.18033788

#: which inputs the axis-variation file was computed from (PHE test script)
AXIS_VARIATION_MAX_DENOMINATOR = 31000  # denominator < 31000

#: the outputs files print 6 (resp. 8) decimals: half a unit in the last place
TOLERANCE = 5e-7
TOLERANCE_AXIS_VARIATION = 5e-9


def inputs() -> pd.DataFrame:
    return pd.read_csv(INPUTS)


def outputs() -> pd.DataFrame:
    return pd.read_csv(OUTPUTS)


def outputs_axis_variation() -> pd.DataFrame:
    return pd.read_csv(OUTPUTS_AXIS_VARIATION)
