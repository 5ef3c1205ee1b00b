"""The ``skbalance`` command."""

import sys

USAGE = """usage: skbalance compare [DATA] --target COL [options]

Cross-validate imbalance strategies on a data set and rank them.
"""


def main(argv=None):
    """Entry point of the ``skbalance`` command."""
    argv = sys.argv[1:] if argv is None else argv
    print(USAGE)
    return 0
