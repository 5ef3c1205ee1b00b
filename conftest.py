"""Doctest and test-session settings shared by the whole suite."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _stable_print_options(doctest_namespace):
    """Print arrays the same way on every platform for the doctests."""
    with np.printoptions(precision=4, suppress=True, legacy="1.25"):
        yield
