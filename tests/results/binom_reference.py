"""Published reference values for single-proportion confidence intervals.

Every array names its source. Where a method has no published value at hand
this module says so instead of inventing one.
"""

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single
# proportion: comparison of seven methods. Statistics in Medicine 17, 857-872,
# Table I (95 % intervals, 4 decimals): method 3 = Wilson score without
# continuity correction, method 5 = "exact" Clopper-Pearson.
# The table was not readable here; the values are those reproduced from it in
#   * the R package ratesci (Laud), tests/testthat, "Single proportion,
#     Newcombe examples": exactci(x = c(15, 0, 1), n = c(148, 20, 29)) and
#     wilsonci(..., cc = FALSE) -> 15/148, 0/20, 1/29 below;
#   * the R package propint (Papenberg), tests, "ci.one.prop produces the
#     results reported in Newcombe1998": Wilson 81/263 and 15/148.
# The exact interval for 81/263 (0.2527, 0.3676) is quoted as Newcombe's
# Table I in independent test suites only; it is kept because it agrees.
# Tolerance: half a unit in the 4th decimal.
NEWCOMBE_TOL = 0.5e-4 + 1e-9
NEWCOMBE_1998 = {
    # (k, n): {"wilson": (lower, upper), "exact": (lower, upper)}
    (81, 263): {"wilson": (0.2553, 0.3662), "exact": (0.2527, 0.3676)},
    (15, 148): {"wilson": (0.0624, 0.1605), "exact": (0.0578, 0.1617)},
    (0, 20): {"wilson": (0.0000, 0.1611), "exact": (0.0000, 0.1684)},
    (1, 29): {"wilson": (0.0061, 0.1718), "exact": (0.0009, 0.1776)},
}

# R package binom, binom.confint(x, n, tol = 1e-8), as recorded by
# statsmodels in statsmodels/stats/tests/results/results_proportion.py
# (commit 1a63aa78b1c7bad09354b07b5bd4f700230a24a8; the R calls are in the
# comments there). Columns used: "agresti-coull", "exact", "wilson" and
# "bayes" (Jeffreys prior 0.5/0.5). R does not clip Agresti-Coull, so the
# expected values are clipped to [0, 1] here, as binomial_ci does. The
# "bayes" column is used only where it is the central (equal-tailed)
# Jeffreys interval, i.e. for (18, 20), (4, 20) and (4, 200); for the other
# rows statsmodels' file holds values of another kind (HPD or failed
# convergence) and no published equal-tailed Jeffreys value was found, so
# those Jeffreys cases are not tested against R.
R_BINOM_TOL = 1e-6
R_BINOM_CONFINT = {
    (18, 20): {
        "agresti_coull": (0.6867561125596077, 0.984343760998137),
        "exact": (0.6830172859809176, 0.9876514728297052),
        "wilson": (0.6989663547715128, 0.972133518786232),
        "jeffreys": (0.716146742695748, 0.97862751197755),
    },
    (4, 20): {
        "agresti_coull": (0.0749115102767071, 0.4217635845549845),
        "exact": (0.05733399705003284, 0.436614002996668),
        "wilson": (0.0806576625797981, 0.4160174322518935),
        "jeffreys": (0.07152005247873425, 0.4082257625169254),
    },
    (4, 200): {
        "agresti_coull": (0.005991954548218395, 0.0520995587739575),
        "exact": (0.005475565879556443, 0.05041360908989634),
        "wilson": (0.00780442641634947, 0.05028708690582643),
        "jeffreys": (0.00678759879519299, 0.0468465669668423),
    },
    (190, 200): {
        "agresti_coull": (0.909307307911624, 0.973731898348837),
        "exact": (0.9099724622986486, 0.975765834527891),
        "wilson": (0.910421851861224, 0.972617354399236),
    },
    (1, 30): {
        "agresti_coull": (0.0, 0.18091798),  # R: -8.305484e-03 (clipped)
        "exact": (8.435709e-04, 0.17216946),
        "wilson": (5.908590e-03, 0.16670391),
    },
    (29, 30): {
        "agresti_coull": (0.8190820, 1.0),  # R: 1.0083055 (clipped)
        "exact": (0.8278305, 0.9991564),
        "wilson": (0.8332961, 0.9940914),
    },
    (0, 30): {
        "agresti_coull": (0.0, 0.13471170),
        "exact": (0.0, 0.11570331),
        "wilson": (0.0, 0.11351339),
    },
    (30, 30): {
        "agresti_coull": (0.8652883, 1.0),
        "exact": (0.8842967, 1.0),
        "wilson": (0.8864866, 1.0),
    },
}
# the rows given to 7-8 significant digits in that file
R_BINOM_SHORT_ROWS = {(1, 30), (29, 30), (0, 30), (30, 30)}
R_BINOM_SHORT_TOL = 1e-7

# R, binom.test(51, 235, p = 1/6, alternative = ...)$conf.int at the default
# conf.level 0.95: the one-sided Clopper-Pearson bounds, as recorded in
# statsmodels/stats/tests/test_proportion.py, test_binom_test (commit
# d1a258cf7d9f6eb0305e1c277286a7ffaf78985e).
R_BINOM_TEST = {
    "less": (0.0, 0.2659460862574313),  # alternative = "less": an upper bound
    "greater": (0.1735252778065201, 1.0),  # alternative = "greater": a lower bound
    "two.sided": (0.1660633298083073, 0.2752683640289254),
}
R_BINOM_TEST_K = 51
R_BINOM_TEST_N = 235
R_BINOM_TEST_TOL = 1e-12
