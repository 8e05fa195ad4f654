"""The tidy table: its schema, the municipalities, periods and display (pooling is :mod:`danmark.io.aggregate`).

The public names are in :mod:`danmark`; this package only groups the modules.
"""
