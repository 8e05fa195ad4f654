"""Ankestyrelsen's own worked example of the omgørelsesprocent.

Source: Ankestyrelsen's explanation of how the Danmarkskort rate is computed,
as recorded in the project's reference data notes
(../shared/data/README.md, "Ankestyrelsen's own worked example"):
19 hjemvist + 5 ændret + 105 stadfæstet = 129 realitetsbehandlede sager,
omgørelsesprocent (19 + 5) / 129 = 19 %. Afviste sager are not counted.

The published figure is rounded to a whole percent; unrounded it is
24 / 129 = 18.60 %.
"""

HJEMVIST = 19
AENDRET = 5
STADFAESTET = 105
N = 129  # realitetsbehandlede
OMGJORT = 24
PUBLISHED_PCT = 19  # whole percent, as published
PUBLISHED_TOL = 0.5  # rounding to a whole percent
UNROUNDED_PCT = 18.60465116279
