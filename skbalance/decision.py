"""Multiclass decision rules: least expected cost, and a tuned prior adjustment.

scikit-learn tunes the decision of binary classifiers only
(``FixedThresholdClassifier``, ``TunedThresholdClassifierCV``); these are
multiclass versions. Both keep the inner model's probabilities and change
only the rule turning them into a label.
"""

import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils.validation import check_is_fitted

from ._base import _WrapperMixin
from ._oob import _oob_key, _oob_proba
from ._pipeline import (
    _accepts_sample_weight,
    _fit_with_sample_weight,
)
from ._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_method_params,
    _fit_context,
    _ignoring_oob_warnings,
    _safe_indexing,
)
from ._tuning import _decide, _metric, _tune_decision
from ._validation import (
    _align_columns,
    _as_seed,
    _check_classifier,
    _check_fit_input,
    _check_two_weighted_classes,
    _check_X,
)
from .metrics import _check_cost_matrix

__all__ = ["CostSensitiveClassifier", "TunedDecisionClassifierCV"]

class _ProbabilityDecisionMixin(_WrapperMixin):
    """What the two decision meta-classifiers share: an inner estimator with
    ``predict_proba``, fitted with ``sample_weight``, and its probabilities
    aligned with ``classes_``."""

    def _checked_estimator(self):
        """The estimator, refused unless it is a classifier with ``predict_proba``."""
        estimator = self._get_estimator()
        _check_classifier(estimator, "estimator")
        if not hasattr(estimator, "predict_proba"):
            raise ValueError(
                f"{type(self).__name__} decides from predicted probabilities, but "
                f"estimator ({type(estimator).__name__}) has no predict_proba. Use a "
                "classifier with predict_proba (e.g. CalibratedClassifierCV around it, "
                "or SVC(probability=True))."
            )
        return estimator

    def _fit_inner(self, estimator, X, y, sample_weight, fit_params):
        """Fit ``estimator`` (in place) with ``sample_weight`` for its final step."""
        if isinstance(estimator, FrozenEstimator):
            return estimator.fit(X, y)
        if sample_weight is not None and not _accepts_sample_weight(estimator):
            raise ValueError(
                f"sample_weight was given, but estimator ({type(estimator).__name__}) "
                "takes no sample_weight in fit; wrap it in "
                "skbalance.BalancedClassifier(weighting=None) to apply the weights by "
                "resampling."
            )
        return _fit_with_sample_weight(estimator, X, y, sample_weight, fit_params)

    def predict_proba(self, X):
        """Class probabilities of the inner estimator (the decision does not change them).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns aligned with ``classes_`` (0 for a class the
            inner estimator did not see).
        """
        check_is_fitted(self)
        _check_X(self, X, reset=False)
        return _align_columns(
            self.estimator_.predict_proba(X), self.estimator_.classes_, self.classes_
        )


class CostSensitiveClassifier(
    _ProbabilityDecisionMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Predict the class of least expected cost under a cost matrix.

    The inner classifier's probabilities ``P(i|x)`` are kept; ``predict``
    returns ``argmin_j Σ_i P(i|x) · C[i, j]``, the Bayes decision for the
    costs ``C`` (any number of classes). A prefit model wrapped in
    :class:`sklearn.frozen.FrozenEstimator` is used as it is.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        The classifier; cloned, never modified. None means
        ``LogisticRegression(max_iter=1000)``.
    cost_matrix : array-like of shape (n_classes, n_classes), dict or None, \
            default=None
        ``cost_matrix[i, j]`` is the cost of predicting ``classes_[j]`` when
        the truth is ``classes_[i]`` (rows and columns aligned with
        ``classes_``); or a dict ``{true_label: {predicted_label: cost}}``
        naming every pair of distinct classes (a missing diagonal entry costs
        0). Costs are finite and non-negative. None means the 0/1 cost, i.e.
        plain ``argmax`` of the probabilities (see Notes).

    Attributes
    ----------
    estimator_ : classifier
        The fitted inner estimator.
    classes_ : ndarray of shape (n_classes,)
        Class labels (those of ``y`` in ``fit``).
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The cost matrix as an array aligned with ``classes_``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    TunedDecisionClassifierCV : Tune the decision on out-of-fold probabilities.
    skbalance.metrics.expected_cost : The mean cost of predictions.
    sklearn.model_selection.FixedThresholdClassifier : The binary analogue.

    Notes
    -----
    The expected cost of predicting ``j`` is ``Σ_i P(i|x) C[i, j]``; the
    decision is right if the probabilities are calibrated, so a model
    trained with class weights should have them corrected back first
    (:class:`~skbalance.BalancedClassifier` with ``prior="train"``).

    DESIGN.md makes ``cost_matrix`` a required argument; its default here is
    None (the 0/1 cost) so that the default instance can be built and
    checked as every scikit-learn estimator can.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skbalance.decision import CostSensitiveClassifier
    >>> X, y = make_classification(n_samples=300, n_classes=3, n_informative=4,
    ...                            weights=[0.8, 0.15, 0.05], random_state=0)
    >>> cost = [[0, 1, 1], [5, 0, 1], [20, 5, 0]]  # missing class 2 is costly
    >>> clf = CostSensitiveClassifier(cost_matrix=cost).fit(X, y)
    >>> clf.cost_matrix_
    array([[ 0.,  1.,  1.],
           [ 5.,  0.,  1.],
           [20.,  5.,  0.]])
    >>> int((clf.predict(X) == 2).sum()) >= int((y == 2).sum())
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "cost_matrix": ["array-like", dict, None],
    }

    def __init__(self, estimator=None, *, cost_matrix=None):
        self.estimator = estimator
        self.cost_matrix = cost_matrix

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the inner estimator (a no-op for a ``FrozenEstimator``).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the estimator as is.
        y : array-like of shape (n_samples,)
            Class labels of any kind.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights for the estimator's ``fit``.
        **fit_params : dict
            Other parameters for the estimator's ``fit``; with metadata
            routing enabled, only those the estimator requested.

        Returns
        -------
        self : CostSensitiveClassifier
            The fitted meta-estimator.
        """
        estimator = self._checked_estimator()
        X, y, self.classes_, _, sample_weight = _check_fit_input(self, X, y, sample_weight)
        if self.cost_matrix is None:
            self.cost_matrix_ = 1.0 - np.eye(len(self.classes_))
        else:
            self.cost_matrix_ = _check_cost_matrix(self.cost_matrix, self.classes_)
        fit_params = self._route_fit_params(fit_params)
        self.estimator_ = self._fit_inner(clone(estimator), X, y, sample_weight, fit_params)
        return self

    def predict(self, X):
        """Predict the class of least expected cost.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``classes_[argmin_j Σ_i P(i|x) cost_matrix_[i, j]]``.
        """
        check_is_fitted(self)
        return self.classes_[np.argmin(self.predict_proba(X) @ self.cost_matrix_, axis=1)]


class TunedDecisionClassifierCV(
    _ProbabilityDecisionMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Tune a multiclass decision rule on out-of-fold probabilities.

    ``predict`` returns ``argmax_c (log p_c(x) + class_offset_[c])``, where
    the offsets are tuned to maximise ``scoring`` on probabilities the model
    gives to training rows it was not fitted on. With
    ``method="prior_power"`` the offsets are ``-τ · log π_c`` (post-hoc logit
    adjustment, Menon et al. [1]_; ``π`` the training class prior): one
    number, ``τ = 0`` the model as trained, ``τ = 1`` the balanced-error
    Bayes rule. ``predict_proba`` returns the inner model's probabilities,
    unchanged.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        The classifier; cloned, never modified. None means
        ``LogisticRegression(max_iter=1000)``.
    scoring : str, callable, array-like of shape (n_classes, n_classes) or \
            dict, default="f1_macro"
        What the decision maximises on the out-of-fold predictions:
        ``"f1_macro"``, ``"balanced_accuracy"``, ``"gmean"`` (geometric mean
        of the recalls), any other scikit-learn scorer name computed from
        predicted labels (``"accuracy"``, ``"f1_weighted"``, ...), a scorer
        ``scorer(estimator, X, y)`` (e.g. from
        :func:`skbalance.metrics.make_cost_scorer`), a metric
        ``metric(y_true, y_pred)`` (greater is better; it gets
        ``sample_weight=`` when its signature has it), or a cost matrix as in
        :class:`CostSensitiveClassifier` (the mean cost is minimised).
    method : {"prior_power", "per_class"}, default="prior_power"
        ``"prior_power"`` tunes τ on a grid; ``"per_class"`` then tunes one
        log-offset per class by coordinate ascent, started at and shrunk
        toward the τ solution (see Notes).
    cv : "auto", int, cross-validation generator or iterable, default="auto"
        Where the out-of-fold probabilities come from. ``"auto"``: the
        out-of-bag probabilities of a bootstrap bagging ensemble (an
        estimator with ``oob_score`` and ``bootstrap=True``:
        ``RandomForestClassifier``, ``BaggingClassifier``, ...; bare, at the
        end of a pipeline, or in a :class:`~skbalance.BalancedClassifier`
        without sampler or prior; its clone gets ``oob_score=True``, and the
        decision needs no extra fit), else stratified 5-fold
        cross-validation. An int (or None, 5) forces
        stratified k-fold; a splitter or an iterable of (train, test) splits
        is used as given.
    refit : bool, default=True
        With cross-validation, refit the estimator on all rows once the
        decision is tuned. False keeps the model of the first fold instead
        (one fit less, on fewer rows). Out-of-bag tuning fits on all rows
        anyway.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib).
    random_state : int, RandomState instance or None, default=None
        Shuffles the stratified folds and the order of the per-class ascent.

    Attributes
    ----------
    estimator_ : classifier
        The fitted inner estimator.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    tau_ : float
        The tuned prior power τ.
    class_offset_ : ndarray of shape (n_classes,)
        Added to ``log p_c`` before the argmax; ``-tau_ * log(prior)`` for
        ``"prior_power"``.
    best_score_ : float
        ``scoring`` of the tuned decision on the out-of-fold predictions
        (minus the mean cost for a cost matrix).
    cv_results_ : dict
        ``"tau"``: the τ grid; ``"score"``: the out-of-fold score of each.
    cv_mode_ : {"oob", "cv", "in_sample"}
        Where the tuning probabilities came from (see Notes for
        ``"in_sample"``).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    CostSensitiveClassifier : The least-expected-cost decision, not tuned.
    sklearn.model_selection.TunedThresholdClassifierCV : The binary analogue.
    skbalance.BalancedClassifier : Class weights and samplers in the fit.

    Notes
    -----
    The τ grid is 0 to 2 in steps of 0.05 (41 values): it holds 0 and 1
    exactly, and reaches past the balanced rule for models whose
    probabilities are pulled toward the frequent classes (forests). Where
    several τ score the same, the middle one of them is taken.

    ``"per_class"`` starts from the τ offsets ``b⁰`` and, for three sweeps
    over the classes (in random order), moves one offset at a time to
    ``b⁰_c + δ`` with ``δ`` in ±0.25, ±0.5, ..., ±2, keeping a move only if
    it raises ``score - 0.005 · Σ_c |b_c - b⁰_c|``. The penalty and the
    bounded steps shrink the offsets toward the τ solution: free per-class
    offsets overfit the few out-of-fold rows of rare classes.

    Folds: with ``"auto"`` or an int, a class with fewer rows than folds
    appears in fewer test folds (every row still gets one out-of-fold
    prediction, and every training fold keeps a row of it); the number of
    folds is at most the size of the largest class. A class with a single
    row stays in every training fold, and its row is left out of the tuning
    (it has no out-of-fold prediction). When fewer than two classes have two
    rows, no folds can be made: the decision is tuned on in-sample
    probabilities of the model fitted on all rows, with a warning
    (``cv_mode_ = "in_sample"``).

    Out-of-bag probabilities of a pipeline come from its final step, whose
    preceding steps were fitted on all rows (harmless for unsupervised
    steps such as scaling); a pipeline with a sampler step uses
    cross-validation. Rows that were in every bootstrap sample (no
    out-of-bag prediction) are left out of the tuning.

    ``FrozenEstimator(prefit)`` with any ``cv`` tunes the decision of the
    prefit model on the rows given to ``fit`` (its folds fit nothing): give
    it held-out rows.

    References
    ----------
    .. [1] A. K. Menon, S. Jayasumana, A. S. Rawat, H. Jain, A. Veit and
       S. Kumar, "Long-tail learning via logit adjustment", ICLR 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skbalance.decision import TunedDecisionClassifierCV
    >>> X, y = make_classification(n_samples=400, n_classes=3, n_informative=4,
    ...                            weights=[0.8, 0.15, 0.05], random_state=0)
    >>> clf = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    >>> clf.cv_mode_, 0.0 <= clf.tau_ <= 2.0
    ('cv', True)
    >>> clf.class_offset_.shape
    (3,)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "scoring": [str, callable, "array-like", dict],
        "method": [StrOptions({"prior_power", "per_class"})],
        "cv": [StrOptions({"auto"}), "cv_object"],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        scoring="f1_macro",
        method="prior_power",
        cv="auto",
        refit=True,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.method = method
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Get out-of-fold probabilities, tune the decision, fit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the estimator as is.
        y : array-like of shape (n_samples,)
            Class labels of any kind.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights: passed to every inner fit, and weighting the
            rows (and the class prior ``π``) in the tuning.
        **fit_params : dict
            Other parameters for the estimator's ``fit`` (split with the rows
            of each fold); with metadata routing enabled, only those the
            estimator requested.

        Returns
        -------
        self : TunedDecisionClassifierCV
            The fitted meta-estimator.
        """
        estimator = self._checked_estimator()
        X, y, self.classes_, codes, sample_weight = _check_fit_input(self, X, y, sample_weight)
        counts = np.bincount(codes, weights=sample_weight, minlength=len(self.classes_))
        _check_two_weighted_classes(self.classes_, counts)
        _metric(self.scoring, self.classes_)  # a bad scoring fails before any fit
        fit_params = self._route_fit_params(fit_params)
        proba, rows = self._out_of_fold(estimator, X, y, codes, sample_weight, fit_params)
        decision = _tune_decision(
            proba,
            codes[rows],
            counts / counts.sum(),
            scoring=self.scoring,
            method=self.method,
            classes=self.classes_,
            sample_weight=None if sample_weight is None else sample_weight[rows],
            random_state=self.random_state,
        )
        self.tau_, self.class_offset_, self.best_score_, self.cv_results_ = decision
        return self

    def _out_of_fold(self, estimator, X, y, codes, sample_weight, fit_params):
        """Set ``estimator_`` and ``cv_mode_``; return tuning probabilities and rows."""
        key = _oob_key(estimator) if isinstance(self.cv, str) else None
        if key is not None:
            self.cv_mode_ = "oob"
            return self._oob_proba(estimator, key, X, y, sample_weight, fit_params)
        splits = self._splits(X, y, codes)
        if splits is None:
            warnings.warn(
                "Fewer than two classes have two rows, so no cross-validation folds "
                "can be made: the decision is tuned on in-sample probabilities.",
                UserWarning,
            )
            self.cv_mode_ = "in_sample"
            self.estimator_ = self._fit_inner(clone(estimator), X, y, sample_weight, fit_params)
            return self.predict_proba(X), np.arange(len(y))
        self.cv_mode_ = "cv"
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_fold)(self, clone(estimator), X, y, *split, sample_weight, fit_params)
            for split in splits
        )
        proba = np.full((len(y), len(self.classes_)), np.nan)
        tested = np.zeros(len(y), dtype=bool)
        for (_, test), (_, fold_proba) in zip(splits, fitted):
            proba[test] = fold_proba
            tested[test] = True
        if self.refit:
            self.estimator_ = self._fit_inner(clone(estimator), X, y, sample_weight, fit_params)
        else:
            self.estimator_ = fitted[0][0]
        rows = np.flatnonzero(tested)
        return proba[rows], rows

    def _oob_proba(self, estimator, key, X, y, sample_weight, fit_params):
        """Fit a clone with out-of-bag scoring on (``key``); its out-of-bag probabilities."""
        model = clone(estimator).set_params(**{key: True})
        with _ignoring_oob_warnings():  # rows never out of bag are left out below
            self.estimator_ = self._fit_inner(model, X, y, sample_weight, fit_params)
        proba = _oob_proba(self.estimator_, self.classes_)
        rows = np.flatnonzero(np.isfinite(proba).all(axis=1))
        return proba[rows], rows

    def _splits(self, X, y, codes):
        """The (train, test) splits of the tuning, or None if none can be made."""
        if self.cv == "auto" or self.cv is None or isinstance(self.cv, Integral):
            n_splits = 5 if self.cv in ("auto", None) else self.cv
            return _stratified_splits(codes, n_splits, _as_seed(self.random_state))
        return list(check_cv(self.cv, y, classifier=True).split(X, y))

    def predict(self, X):
        """Predict ``argmax_c (log p_c(x) + class_offset_[c])``.

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
        return self.classes_[_decide(self.predict_proba(X), self.class_offset_)]


def _stratified_splits(codes, n_splits, seed):
    """Stratified folds tolerant of tiny classes (see TunedDecisionClassifierCV Notes)."""
    counts = np.bincount(codes)
    single = counts[codes] < 2
    if (counts >= 2).sum() < 2:
        return None
    foldable = np.flatnonzero(~single)
    n_splits = int(min(n_splits, counts.max(), foldable.size))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # documented: small classes are in fewer test folds
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        splits = list(folds.split(np.zeros(foldable.size), codes[foldable]))
    always = np.flatnonzero(single)
    return [(np.sort(np.r_[foldable[train], always]), foldable[test]) for train, test in splits]


def _fit_fold(meta, estimator, X, y, train, test, sample_weight, fit_params):
    """Fit on the training rows of a fold; the model and its test probabilities."""
    params = _check_method_params(X, fit_params, indices=train)
    weight = None if sample_weight is None else sample_weight[train]
    model = meta._fit_inner(estimator, _safe_indexing(X, train), y[train], weight, params)
    proba = model.predict_proba(_safe_indexing(X, test))
    return model, _align_columns(proba, model.classes_, meta.classes_)
