"""Argument types the site's management commands share, with their errors in Japanese."""

import argparse


def positive_integer(noun):
    """An argparse type: a whole number of 1 or more; `noun` (日数, 件数) names it in the error."""

    def parse(value):
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise argparse.ArgumentTypeError(f"{noun}は1以上の整数で指定してください({value})。")
        return number

    return parse


positive_days = positive_integer("日数")
