"""Funnel plots: control limits around a target rate, and which units fall outside.

A funnel plot shows each kommune's omgørelsesprocent against its number of
cases, with control limits that narrow as the number of cases grows
(Spiegelhalter 2005). A point outside the 95 % limits is expected for about
one unit in twenty by chance alone; outside the 99.8 % limits for about one in
five hundred.

The funnel in one place:

* :mod:`.limits` -- the smooth control limits (:func:`funnel_limits`);
* :mod:`.flags` -- which units lie outside them (:func:`funnel_flags`) and how
  many would by chance (:func:`expected_flags`);
* :mod:`.steps` -- the limits at whole numbers of cases, placed by the flagging
  rule itself (:func:`funnel_steps`);
* :mod:`.overdispersion` -- φ and τ² (:func:`overdispersion_fit`);
* :mod:`._checks` -- the argument checks and the counts adapter they share.

The public names are in :mod:`danmark`; they are also importable from here.

Three ways to draw the limits around a target proportion, the ``reference``
(written p0 in the formulas below):

``"exact"``
    Binomial quantiles with Spiegelhalter's interpolation for discrete counts
    (Spiegelhalter 2005, appendix A.1.1): with ``r`` the smallest count whose
    binomial CDF reaches the tail probability ``q``, the limit is
    ``(r - a) / n`` with ``a = (F(r) - q) / (F(r) - F(r - 1))``, which is where
    the CDF, drawn as straight lines between whole counts, crosses ``q``.
``"wilson"``
    The proportion at denominator ``n`` whose Wilson score interval just
    touches ``p0``: PHE's method (PHEindicatormethods, ``calculate_funnel_limits``,
    ``sigma_adjustment``), reproduced to 6 decimals in the tests.
``"normal"``
    ``p0 ± z·sqrt(p0(1 - p0)/n)``.

All limits are clipped to [0, 1]. A level ``L`` means two-sided limits at the
tail probabilities ``(1 - L)/2`` and ``(1 + L)/2``, so 0.95 ↔ z = 1.96 and
0.998 ↔ z = 3.09.

Over-dispersion (more spread between units than binomial noise allows, e.g.
because case mix differs) is handled as in Spiegelhalter (2005, §6) and
FunnelPlotR: :func:`overdispersion_fit` estimates φ from 10 % Winsorised
z-scores and τ² by DerSimonian–Laird; ``"multiplicative"`` widens the limits by
``sqrt(φ)`` (only when φ > 1), ``"additive"`` replaces the binomial variance
``s² = p0(1 - p0)/n`` by ``s² + τ²``. For ``"normal"`` this gives
``p0 ± z·sqrt(φ s²)`` and ``p0 ± z·sqrt(s² + τ²)`` exactly; for ``"exact"`` and
``"wilson"`` the distance of each limit from ``p0`` is stretched by the same
factor.

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional
performance. Statistics in Medicine 24:1185–1202. doi:10.1002/sim.1970
"""

from __future__ import annotations

from .flags import expected_flags, funnel_flags
from .limits import funnel_limits
from .overdispersion import Overdispersion, overdispersion_fit
from .steps import funnel_steps

__all__ = ["funnel_limits", "funnel_flags", "expected_flags", "funnel_steps", "overdispersion_fit", "Overdispersion"]
