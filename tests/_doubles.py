"""Test doubles shared by the test files: tiny classifiers that record what they
receive, or that fail on purpose.

Import them with ``from _doubles import RecordingClassifier`` (pytest puts the
``tests`` folder on ``sys.path``).
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import _num_samples


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Store what ``fit`` received; predict the (weighted) training class shares.

    ``X_`` is the very object ``fit`` received (not copied), ``y_`` a copy of the
    labels, ``sample_weight_``, ``extra_`` and ``metadata_`` the fit parameters
    (``sample_weight_`` copied), ``n_rows_`` the number of rows.
    """

    def fit(self, X, y, sample_weight=None, extra=None, metadata=None):
        self.n_rows_ = len(y)
        self.X_ = X
        self.y_ = np.asarray(y).copy()
        self.sample_weight_ = None if sample_weight is None else np.array(sample_weight)
        self.extra_, self.metadata_ = extra, metadata
        self.classes_, codes = np.unique(self.y_, return_inverse=True)
        mass = np.bincount(codes, weights=sample_weight, minlength=len(self.classes_))
        self.share_ = mass / mass.sum()
        return self

    def predict_proba(self, X):
        return np.tile(self.share_, (_num_samples(X), 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class UnweightedRecorder(RecordingClassifier):
    """A :class:`RecordingClassifier` whose ``fit`` takes no ``sample_weight``."""

    def fit(self, X, y, extra=None):
        return super().fit(X, y, extra=extra)


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """Raise ``error(message)`` from ``fit``, ``predict`` and ``predict_proba``.

    The default message says the estimator should never have been used, for
    tests that check an estimator is skipped.
    """

    def __init__(self, error=AssertionError, message="this estimator should not have been used"):
        self.error = error
        self.message = message

    def fit(self, X, y):
        raise self.error(self.message)

    def predict(self, X):
        raise self.error(self.message)

    def predict_proba(self, X):
        raise self.error(self.message)
