"""BalancedClassifierCV: pick the imbalance strategy by internal cross-validation."""

import math
from numbers import Integral

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    clone,
    is_classifier,
)
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import MetadataRouter
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import assert_all_finite, check_is_fitted

from ._base import _MetaClassifierMixin
from ._evaluation import METRICS, _evaluate, _make_folds, _summarise
from ._pipeline import _fit_with_sample_weight
from ._sklearn_compat import HasMethods, StrOptions, _fit_context
from ._strategies import _check_strategies, _distinct_strategies, default_strategies
from ._validation import _align_columns, _as_seed, _check_fit_input, _check_X

__all__ = ["BalancedClassifierCV"]

#: Survivors of a halving round are the best ``1 / _FACTOR`` of the candidates.
_FACTOR = 3


def _refitted(self):
    """``available_if`` check: prediction methods need ``refit=True``."""
    return self.refit


def _best_has(attr):
    """``available_if`` check: the refitted best estimator has ``attr``."""

    def check(self):
        if not _refitted(self):
            return False
        best = getattr(self, "best_estimator_", None)
        return best is None or hasattr(best, attr)

    return check


class BalancedClassifierCV(_MetaClassifierMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classifier that picks its imbalance strategy by internal cross-validation.

    No single strategy (plain, class weights, over- or under-sampling, SMOTE,
    the small-class router, focal loss) wins on every data set. Inside
    ``fit``, this estimator cross-validates the candidate strategies on the
    training rows only, keeps the best by ``scoring``, refits it on all
    the rows and predicts with it.

    Parameters
    ----------
    estimator : classifier, default=None
        Base classifier the default candidates are built on (see
        :func:`~skbalance.compare.compare`); None means a standardised
        ``LogisticRegression``.
    strategies : "auto" or dict of str -> classifier, default="auto"
        The candidates: ``"auto"`` for the strategies ``compare`` uses by
        default, or a dict name -> unfitted classifier.
    cv : int, cross-validation generator or iterable, default=5
        Internal splits; an int means stratified, shuffled folds.
    scoring : {"f1_macro", "balanced_accuracy", "gmean"}, default="f1_macro"
        Metric the best strategy maximises.
    refit : bool, default=True
        Refit the best strategy on all the rows; without it only
        ``best_strategy_`` and ``cv_results_`` are learned and the estimator
        cannot predict.
    search : {"halving", "full"}, default="halving"
        ``"full"`` evaluates every candidate on every fold. ``"halving"``
        runs successive halving over folds: every candidate is first scored
        on one fold, the best third go on to three times as many folds
        (their earlier folds are kept, not refitted), until the last few
        compete on all the folds.
    n_jobs : int, default=None
        Number of parallel (candidate, fold) fits (joblib).
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the sub-samples and every candidate's
        ``random_state``.

    Attributes
    ----------
    best_strategy_ : str
        Name of the winning strategy.
    best_estimator_ : classifier
        The winning strategy refitted on all rows (with ``refit=True``).
    cv_results_ : pandas.DataFrame
        The ranked ``compare`` table of every candidate, at the last round it
        reached, with its ``round`` and the ``n_folds`` it was scored on.
        Failed candidates have an ``error``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    skbalance.compare.compare : The comparison this estimator runs internally.
    BalancedClassifier : One fixed strategy.

    Notes
    -----
    With ``C`` candidates and ``k`` folds, halving runs ``R = ceil(log3 C)``
    rounds; after round ``r`` the remaining candidates have been scored on
    the first ``ceil(k * 3 ** (r - R + 1))`` folds, and the best third of
    them (by their mean over those folds) go on. Every fit uses a whole
    training fold, so rare classes keep all their rows and the ranking is
    not biased towards strategies that do well on little data; the saving
    comes from fitting weak candidates on fewer folds. With the 11 default
    candidates and 5 folds it makes 21 fits instead of 55.

    Choosing is only as reliable as the internal scores, which are noisy
    when a class has a handful of rows: on the project's benchmark of 16
    long-tailed data sets the strategy chosen this way scored below the best
    single fixed strategy (see the user guide, "What it costs, and what it
    does not buy"). Prefer a small ``strategies`` dict of candidates you
    believe in, or run :func:`~skbalance.compare` once and fix the strategy.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skbalance import BalancedClassifier, BalancedClassifierCV
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> X, y = load_long_tailed_digits(imbalance_ratio=10, return_X_y=True)
    >>> candidates = {
    ...     "plain": LogisticRegression(max_iter=2000),
    ...     "balanced": BalancedClassifier(LogisticRegression(max_iter=2000)),
    ... }
    >>> clf = BalancedClassifierCV(strategies=candidates, cv=3, random_state=0)
    >>> clf.fit(X, y).best_strategy_ in candidates
    True
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "strategies": [StrOptions({"auto"}), dict],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(METRICS))],
        "refit": ["boolean"],
        "search": [StrOptions({"halving", "full"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        strategies="auto",
        cv=5,
        scoring="f1_macro",
        refit=True,
        search="halving",
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.strategies = strategies
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.search = search
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Evaluate the candidates, pick the best and refit it.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights, passed to every candidate's ``fit``.

        Returns
        -------
        self : BalancedClassifierCV
            The fitted estimator.
        """
        X, y, self.classes_, _, sample_weight = _check_fit_input(self, X, y, sample_weight)
        self._check_finite(X)
        seed = _as_seed(self.random_state)
        candidates = self._candidates(seed, X, y, sample_weight)
        folds = _make_folds(X, y, self.cv, seed)
        if self.search == "full":
            results = self._run_round(candidates, X, y, folds, sample_weight)
            results["round"], results["n_folds"] = 0, len(folds)
        else:
            results = self._halving(candidates, X, y, folds, sample_weight)
        self.cv_results_ = results
        self.best_strategy_ = results.attrs["best_strategy"]
        if self.best_strategy_ is None:
            self._raise_all_failed(candidates, X, y)
        self.best_estimator_ = None
        if self.refit:
            best = clone(candidates[self.best_strategy_])
            self.best_estimator_ = _fit_with_sample_weight(best, X, y, sample_weight)
        return self

    def _check_X(self, X, *, reset):
        """Check ``X``'s shape and features; refuse NaN/inf unless every candidate accepts them."""
        _check_X(self, X, reset=reset)
        self._check_finite(X)

    def _check_finite(self, X):
        """Refuse NaN/inf in an array ``X`` unless every candidate accepts them."""
        if get_tags(self).input_tags.allow_nan or hasattr(X, "iloc") or issparse(X):
            return
        values = np.asarray(X)
        if values.dtype.kind in "fc":
            assert_all_finite(values, estimator_name=type(self).__name__, input_name="X")

    def _raise_all_failed(self, candidates, X, y):
        """Re-raise the first candidate's own error on the whole data, if any."""
        first = clone(next(iter(candidates.values())))
        first.fit(X, y)
        errors = "; ".join(f"{r.strategy}: {r.error}" for r in self.cv_results_.itertuples())
        raise ValueError(f"Every candidate strategy failed: {errors}")

    def _candidates(self, seed, X=None, y=None, sample_weight=None):
        """The candidate strategies, by name; the same model is a candidate once."""
        if not isinstance(self.strategies, str):
            return _check_strategies(self.strategies)
        candidates = default_strategies(self.estimator, seed, sparse=issparse(X))
        if y is None:
            return candidates
        return _distinct_strategies(candidates, y, sample_weight)[0]

    def _run_round(self, candidates, X, y, folds, sample_weight):
        """Cross-validate ``candidates`` on ``folds``; the ranked summary."""
        fold_scores = _evaluate(
            candidates, X, y, folds, [self.scoring], self.n_jobs, sample_weight=sample_weight
        )
        return _summarise(fold_scores, self.classes_)

    def _halving(self, candidates, X, y, folds, sample_weight):
        """Successive halving over the candidates; the combined results."""
        n_rounds = max(1, math.ceil(math.log(len(candidates), _FACTOR)))
        alive, rounds, scores, done = dict(candidates), [], [], 0
        for round_ in range(n_rounds):
            n_folds = math.ceil(len(folds) * _FACTOR ** (round_ - n_rounds + 1))
            new = _evaluate(
                alive,
                X,
                y,
                folds[done:n_folds],
                [self.scoring],
                self.n_jobs,
                sample_weight=sample_weight,
            )
            new["fold"] += done
            scores = [frame[frame["strategy"].isin(alive)] for frame in scores] + [new]
            results = _summarise(pd.concat(scores, ignore_index=True), self.classes_)
            results["round"], results["n_folds"] = round_, n_folds
            rounds.append(results)
            done = n_folds
            survivors = results.loc[results["error"].isna(), "strategy"]
            if len(survivors):
                keep = survivors.iloc[: math.ceil(len(alive) / _FACTOR)]
                alive = {name: alive[name] for name in keep}
        return _combine_rounds(rounds)

    @available_if(_refitted)
    def predict(self, X):
        """Predict with the best strategy.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        self._check_X(X, reset=False)
        return self.best_estimator_.predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the best strategy.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns aligned with ``classes_``.
        """
        check_is_fitted(self)
        self._check_X(X, reset=False)
        best = self.best_estimator_
        return _align_columns(best.predict_proba(X), best.classes_, self.classes_)

    def _tag_estimators(self):
        if isinstance(self.strategies, dict) and self.strategies:
            return list(self.strategies.values())
        if self.estimator is not None and not is_classifier(self.estimator):
            return [self.estimator]  # fit raises the TypeError
        # fit builds the sparse-ready preprocessing when X is sparse
        return list(default_strategies(self.estimator, sparse=True).values())

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``sample_weight`` is consumed by the estimator itself and passed to
        every candidate's ``fit``.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`.
        """
        return MetadataRouter(owner=self).add_self_request(self)


def _combine_rounds(rounds):
    """One row per candidate, from the last round it reached; winners first."""
    last = rounds[-1]
    combined = pd.concat(rounds[::-1], ignore_index=True)
    combined = combined.drop_duplicates("strategy", keep="first").reset_index(drop=True)
    combined.attrs = dict(last.attrs)
    return combined
