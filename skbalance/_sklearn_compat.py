"""The private scikit-learn names skbalance uses, gathered in one module.

scikit-learn moves, renames or drops its private helpers (names starting with
``_``, and everything in its ``_``-prefixed modules) between releases without
a deprecation cycle. The rest of skbalance imports them from here only, never
from scikit-learn directly, so that a new release breaks this one file and
the fix (a ``try``/``except`` on the new location, or a local copy) is made
once for the whole package. Public scikit-learn API is imported where it is
used.

``validate_data`` is public since scikit-learn 1.6 (our minimum), where it
replaced the private ``BaseEstimator._validate_data``; it is kept here with
the other input-checking helpers it works with.
"""

import warnings
from contextlib import contextmanager

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _num_samples,
    validate_data,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_method_params",
    "_check_sample_weight",
    "_fit_context",
    "_ignoring_oob_warnings",
    "_num_samples",
    "_raise_for_params",
    "_routing_enabled",
    "_safe_indexing",
    "_validate_params",
    "validate_data",
    "validate_params",
]


def _validate_params(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints``.

    Calls the private ``BaseEstimator._validate_params``, which ``fit``
    decorated with ``_fit_context`` runs; needed where an estimator is used
    without going through its ``fit``'s validation.

    Parameters
    ----------
    estimator : BaseEstimator
        An estimator with ``_parameter_constraints``.

    Raises
    ------
    sklearn.utils._param_validation.InvalidParameterError
        When a parameter breaks its constraint.
    """
    estimator._validate_params()


@contextmanager
def _ignoring_oob_warnings():
    """Silence scikit-learn's warnings about rows that are never out of bag.

    A forest or bagging ensemble with few members leaves some rows in every
    bootstrap sample: scikit-learn warns and gives them NaN out-of-bag
    probabilities. Callers that detect those rows themselves fit inside this
    block; the messages are scikit-learn's own wording, hence kept here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Some inputs do not have OOB scores", UserWarning)
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        yield
