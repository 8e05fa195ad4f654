"""Published results for the rat tumour example (Tarone 1982; BDA3 ch. 5).

Data: ``tests/data/rat_tumor_bda3.csv`` (BDA3 Table 5.1; provenance in
``tests/data/README_bda3.md``). Each number below names where it was
published and how precisely, and the tolerance the tests use follows from
that rounding.
"""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data" / "rat_tumor_bda3.csv"


def load():
    """The 71 experiments: columns experiment, y, n, role (70 historical, 1 current)."""
    return pd.read_csv(DATA)


# Gelman, Carlin, Stern, Dunson, Vehtari & Rubin (2013), Bayesian Data
# Analysis, 3rd ed., §5.1 (p. 102): sample mean and standard deviation of the
# 70 historical rates y_j / n_j, printed to 3 decimals (the sd is the sample
# sd, ddof = 1: ddof = 0 gives 0.1028, which also rounds to 0.103).
HISTORICAL_MEAN = 0.136
HISTORICAL_SD = 0.103
HISTORICAL_TOL = 0.0005

# BDA3 §5.1: method-of-moments Beta(α, β) matching that mean and sd, printed
# as Beta(1.4, 8.6). Unrounded: 1.356 and 8.615; tolerance = the rounding.
MM_ALPHA = 1.4
MM_BETA = 8.6
MM_TOL = 0.05

# BDA3 §5.1: current experiment, 4 tumours in 14 rats; posterior
# Beta(5.4, 18.6) with mean 0.223 and sd 0.083 (the crude estimate 4/14 =
# 0.286). Shapes printed to 1 decimal, moments to 3.
CURRENT_K = 4
CURRENT_N = 14
CURRENT_RAW = 0.286
POSTERIOR_ALPHA = 5.4
POSTERIOR_BETA = 18.6
POSTERIOR_SHAPE_TOL = 0.05
POSTERIOR_MEAN = 0.223
POSTERIOR_SD = 0.083
POSTERIOR_MOMENT_TOL = 0.0005

# Beta-binomial maximum likelihood on the 70 historical experiments, as
# printed in the vignette of the R package BayesGOF (Mukhopadhyay &
# Fletcher), rat example, Step 1/3a: `gMLE.bb(rat$y, rat$n)$estimate`,
# "$g.par alpha 2.304768 beta 14.079707" (also quoted as Beta(2.3, 14.1)).
# Their optimiser's tolerance is not stated; 5e-4 covers it.
MLE_ALPHA = 2.304768
MLE_BETA = 14.079707
MLE_TOL = 5e-4

# BDA3 §5.3, Fig. 5.3: the contour plot of p(log(α/β), log(α+β) | y) under the
# hyperprior p(α, β) ∝ (α+β)^(-5/2), all 71 experiments, is centred near
# log(α/β) = -1.8, log(α+β) = 2.7. The maximum on BDA3's grid, as computed
# and printed in pymc-examples, "GLM-hierarchical-binomial-model" (Pananos,
# Lao et al.; "the posterior is roughly symmetric about the mode (-1.79,
# 2.74). This corresponds to α = 2.21 and β = 13.27"), grid step 0.01.
MODE_LOGIT = -1.79
MODE_LOG_STRENGTH = 2.74
MODE_TOL = 0.01
MODE_ALPHA = 2.21
MODE_BETA = 13.27
MODE_AB_TOL = 0.03

# Posterior means E(α | y) ≈ 2.4 and E(β | y) ≈ 14.3 (sums over the grid, as
# BDA3 §5.3 computes them). These two values come from the project's brief,
# which attributes them to the BDA3 text; the page itself could not be
# retrieved here, so they are cross-checked in the tests against a
# brute-force integral computed in the test itself (2.403, 14.320).
# Tolerance: the rounding of the quoted values.
POSTERIOR_MEAN_ALPHA = 2.4
POSTERIOR_MEAN_BETA = 14.3
POSTERIOR_MEAN_TOL = 0.05
