"""The tidy table: its schema, the municipalities, periods and pooling.

The public names are in :mod:`danmark`; this package only groups the modules.
"""
