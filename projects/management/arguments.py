"""Argument types the site's management commands share, with their errors in Japanese."""

import argparse

# Longer than any retention period, and short enough that a date that far back still exists.
MAX_DAYS = 36_500
SHOWN_LENGTH = 20


def positive_integer(noun, maximum=None):
    """An argparse type: a whole number of 1 or more (and at most `maximum`); `noun` (日数, 件数) names it
    in the error."""

    def parse(value):
        shown = value if len(value) <= SHOWN_LENGTH else value[:SHOWN_LENGTH] + "…"
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise argparse.ArgumentTypeError(f"{noun}は1以上の整数で指定してください({shown})。")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"{noun}は{maximum}以下の整数で指定してください({shown})。")
        return number

    return parse


positive_days = positive_integer("日数", maximum=MAX_DAYS)
