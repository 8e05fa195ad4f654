"""Statistics on counts: intervals, shrinkage, hierarchical model, funnels, ranks, outcome splits, power.

The public names are in :mod:`danmark`; this package only groups the modules.
"""
