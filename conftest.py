"""Doctest and test-session settings shared by the whole suite."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    """Run BLAS/OpenMP on one thread: the suite fits many tiny models, for
    which thread start-up costs more than it saves (and CI has 2 cores)."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(autouse=True)
def _stable_print_options(doctest_namespace):
    """Print arrays the same way on every platform and numpy version for the
    doctests (numpy 2 prints scalars as ``np.float64(...)`` unless legacy 1.25;
    numpy 1 prints them that way already and knows no such legacy)."""
    legacy = {} if np.__version__.startswith("1.") else {"legacy": "1.25"}
    with np.printoptions(precision=4, suppress=True, **legacy):
        yield
