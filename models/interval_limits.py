# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A day count read from a setting is used in date arithmetic at most this far.

Whatever value a setting holds (its upper bound is the field's own business),
computing a date or an interval from it never overflows Python's dates (year
9999) nor PostgreSQL's intervals: a hundred years is beyond any business window
and well within both.
"""

MAX_INTERVAL_DAYS = 36500


def clamp_days(days):
    """``days`` as a whole number of days within ±MAX_INTERVAL_DAYS."""
    return max(-MAX_INTERVAL_DAYS, min(int(days or 0), MAX_INTERVAL_DAYS))
