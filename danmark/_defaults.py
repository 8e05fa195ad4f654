"""The defaults every layer shares, named once: the interval level and the prior strength.

Every signature that defaults to them names them (``level=DEFAULT_LEVEL``), so a
change here changes the library, the report, the CLI and the pages together.

Examples
--------
>>> DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH
(0.95, 30.0)
"""

from __future__ import annotations

__all__ = ["DEFAULT_LEVEL", "DEFAULT_PRIOR_STRENGTH", "MAX_WORKERS"]

#: the default coverage of an interval (confidence, credible or rank interval): 95 %
DEFAULT_LEVEL = 0.95

#: the one default strength (α + β, "cases' worth") of a prior anchored on a reference rate, where
#: one is needed (the CLI's report, compare_rules' "shrunk" and "prob_above" rules, the simulated
#: maps' spread of true rates): the central value of notebook 02's sensitivity range (10-100)
DEFAULT_PRIOR_STRENGTH = 30.0

#: the most worker processes faktaark_all (and ``danmark faktaark --all --workers``) starts
MAX_WORKERS = 64
