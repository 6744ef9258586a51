"""Physical constants and conversion factors, one place, each with its source.

Nothing here is a figure about rare earths or India (those live in data/ and
data/reference/ with their provenance): only constants of nature and of units.
"""

from __future__ import annotations

import calendar

# Standard atomic weights, g/mol: IUPAC Commission on Isotopic Abundances and Atomic
# Weights, "Standard atomic weights of the elements 2021" (Pure Appl. Chem. 2022,
# 94(5), 573-600), abridged to five significant figures (Table 2): Nd 144.24,
# Fe 55.845, B 10.81, O 15.999, Pr 140.91. The abridged value is used throughout (the
# unabridged Nd value, 144.242, and Pr value, 140.907 66, differ in the sixth figure and
# change no reported number; oxygen's standard atomic weight is the interval
# [15.999 03, 15.999 77], whose conventional abridged value is 15.999). data/conversions.csv
# reads these by element symbol (oxide to metal: Nd2O3 -> Nd, Pr6O11 -> Pr).
ATOMIC_WEIGHT_G_PER_MOL = {"Nd": 144.24, "Fe": 55.845, "B": 10.81, "O": 15.999, "Pr": 140.91}


def nd2fe14b_nd_mass_fraction() -> float:
    """Return the neodymium mass fraction of pure Nd2Fe14B (about 0.267, a fraction of 1).

    2 Nd / (2 Nd + 14 Fe + 1 B) by standard atomic weight. Commercial sintered NdFeB
    magnets carry roughly 29-32% rare earths by mass, part of it praseodymium and
    dysprosium instead of neodymium, so the stoichiometric share is a sensible central
    assumption for neodymium alone.
    """
    w = ATOMIC_WEIGHT_G_PER_MOL
    nd = 2 * w["Nd"]
    return nd / (nd + 14 * w["Fe"] + w["B"])


ND_MASS_FRACTION_ND2FE14B = nd2fe14b_nd_mass_fraction()

# Mass units in kilograms: the tonne is 1000 kg by definition (BIPM, The International
# System of Units, 9th edition 2019, Table 8: non-SI units accepted for use with the SI).
MASS_IN_KG = {"kg": 1.0, "t": 1000.0}
KG_PER_TONNE = MASS_IN_KG["t"]

# Month names, January first, from the standard library (the C locale Python starts in:
# English names; no hand-written list).
MONTH_NAMES = tuple(calendar.month_name[1:])

# The percent sign stands for the number 0.01 (ISO 80000-1:2022, item 3.1: "%" = 0.01); a
# parameter or fact in percent is divided by PERCENT to give the fraction of 1 it means.
PERCENT = 100


def pct_to_fraction(value_pct):
    """Return a percentage (5 for 5%) as the fraction it means (0.05); arrays too."""
    return value_pct / PERCENT
