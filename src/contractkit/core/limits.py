"""Limits that keep every engine bounded on hostile or extreme input, in one place."""

MAX_ERRORS_PER_RESPONSE = 20  # schema errors reported per response; the count of the rest is kept

__all__ = ["MAX_ERRORS_PER_RESPONSE"]
