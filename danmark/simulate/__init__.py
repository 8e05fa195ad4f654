"""Simulations of selection on noisy rates, and the labelled assumptions they run on.

The public names are in :mod:`danmark`; this package only groups the modules.
"""
