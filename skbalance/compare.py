"""Cross-validated comparison of imbalance strategies on the same folds."""

from numbers import Integral

import numpy as np
from scipy.sparse import issparse

from ._evaluation import METRICS, _check_scoring, _evaluate, _make_folds, _summarise
from ._sklearn_compat import HasMethods, StrOptions, validate_params
from ._strategies import _check_strategies, _distinct_strategies, default_strategies
from ._validation import (
    _as_seed,
    _check_at_least_two_classes,
    _check_labels,
    _encode_labels,
)

__all__ = ["METRICS", "compare", "default_strategies"]


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "strategies": [dict, None],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(METRICS)), list, tuple],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "scheduler": [str, HasMethods(["submit", "scheduler_info"]), None],
        "progress": [callable, None],
    },
    prefer_skip_nested_validation=False,
)
def compare(
    X,
    y,
    estimator=None,
    strategies=None,
    cv=5,
    scoring=METRICS,
    n_jobs=None,
    random_state=None,
    scheduler=None,
    progress=None,
):
    """Cross-validate imbalance strategies on the same folds and rank them.

    Every strategy is fitted and scored on exactly the same train/test
    splits, so differences between rows come from the strategies, not from
    the folds. A strategy that raises on a fold is reported in the ``error``
    column instead of stopping the comparison.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Class labels of any kind, at least two classes.
    estimator : classifier, default=None
        Base classifier the default strategies are built on. None means
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``,
        that is :class:`BalancedClassifier`'s default estimator on
        standardised features. When ``estimator`` is a pipeline, the
        strategies wrap its last step and keep the preceding steps in front,
        so that class weights reach the classifier's ``sample_weight`` and
        samplers work in the transformed space. Ignored when ``strategies``
        is given.
    strategies : dict of str -> classifier, default=None
        The strategies to compare, by name. None compares those of
        :func:`default_strategies` built on ``estimator`` (with the sparse
        preprocessing when ``X`` is sparse); the ones that are the same model
        on these labels (``weight:balanced`` and ``weight:inverse``; every
        weighting and ``plain`` on balanced labels; ``router`` when no class
        is rare) are fitted once, under the first name, and the ``aliases``
        column lists the others.
    cv : int, cross-validation generator or iterable, default=5
        An int is the number of folds of
        ``StratifiedKFold(cv, shuffle=True, random_state=random_state)``;
        a splitter or an iterable of ``(train, test)`` index arrays is used
        as scikit-learn's ``cross_validate`` would.
    scoring : str or sequence of str, default=("f1_macro", "balanced_accuracy", "gmean")
        Metrics to compute, any of :data:`METRICS`: macro-averaged F1,
        balanced accuracy (mean per-class recall) and G-mean (geometric mean
        of per-class recalls, imbalanced-learn's ``geometric_mean_score``).
        Strategies are ranked by ``"f1_macro"`` when it is computed, else by
        the first metric listed.
    n_jobs : int, default=None
        Number of (strategy, fold) tasks run in parallel by joblib. None
        means 1 unless in a :func:`joblib.parallel_config` context, or all
        the workers of ``scheduler``; -1 means all processors.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling of the folds (when ``cv`` is an int) and every
        ``random_state`` of the default strategies that is not set, so the
        comparison is reproducible.
    scheduler : str or distributed.Client, default=None
        Run the tasks on a Dask cluster through joblib's dask backend: the
        address of a scheduler (``"tcp://host:8786"``) or a connected
        ``distributed.Client``. Needs the ``[distributed]`` extra.
    progress : callable, default=None
        Called in the calling process each time a task finishes, as
        ``progress(n_done, n_total, record)`` where ``record`` is the task's
        row of ``fold_scores`` as a dict.

    Returns
    -------
    results : pandas.DataFrame
        One row per strategy, best first (by the ranking metric; strategies
        with an error last), with columns ``strategy``, ``<metric>_mean`` and
        ``<metric>_std`` for each metric of ``scoring`` (the standard
        deviation across folds), ``fit_time_mean`` (seconds),
        ``recall_<label>`` for each class (mean over the folds whose test set
        holds the class), ``error`` (None, or the first error message of
        a strategy that failed on some fold; its scores are then NaN) and
        ``aliases`` (the names of the other strategies that are the same
        model, comma-separated; "" if none).
        ``results.attrs`` holds:

        - ``"best_strategy"``: name of the first row (None if all failed);
        - ``"fold_scores"``: the per-fold results as a dict of columns
          (``strategy``, ``fold``, the metrics, ``recall_<label>``,
          ``fit_time``, ``score_time``, ``error``); read it with
          ``pd.DataFrame(results.attrs["fold_scores"])``;
        - ``"classes"`` and ``"class_counts"``: the labels and their sizes;
        - ``"scoring"``, ``"rank_by"`` and ``"n_splits"``.

    See Also
    --------
    BalancedClassifier : The meta-estimator behind most default strategies.
    skbalance.plotting.plot_comparison : A figure of the results.

    Notes
    -----
    The metrics of a fold are computed over the classes present in its test
    set, as :func:`~sklearn.metrics.balanced_accuracy_score` does, so a
    class too small to appear in every fold neither fails the fold nor
    counts as a miss; a prediction of that class is still an error for the
    true class of the row. A class with fewer samples than folds triggers a
    ``UserWarning`` naming it. G-mean is 0 on a fold where some present
    class has zero recall.

    The per-fold results are kept in ``attrs`` as a dict rather than a
    DataFrame because pandas compares ``attrs`` when concatenating, which a
    DataFrame value cannot support.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skbalance import BalancedClassifier
    >>> from skbalance.compare import compare
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> X, y = load_long_tailed_digits(imbalance_ratio=10, return_X_y=True)
    >>> tree = DecisionTreeClassifier(random_state=0)
    >>> strategies = {"plain": tree, "balanced": BalancedClassifier(tree)}
    >>> results = compare(X, y, strategies=strategies, cv=3, random_state=0)
    >>> results.columns[:4].tolist()
    ['strategy', 'f1_macro_mean', 'f1_macro_std', 'balanced_accuracy_mean']
    >>> len(results), results.attrs["best_strategy"] in strategies
    (2, True)
    """
    labels = _check_labels(y)
    n_rows = X.shape[0] if hasattr(X, "shape") else len(X)
    if labels.shape[0] != n_rows:
        raise ValueError(
            f"X and y have different numbers of rows: {n_rows} and {labels.shape[0]}."
        )
    classes, codes = _encode_labels(labels)
    _check_at_least_two_classes(classes)
    scoring = _check_scoring(scoring)
    seed = _as_seed(random_state)
    if strategies is None:
        strategies = default_strategies(estimator, seed, sparse=issparse(X))
        strategies, aliases = _distinct_strategies(strategies, labels)
    else:
        strategies = _check_strategies(strategies)
        aliases = {name: [] for name in strategies}
    folds = _make_folds(X, labels, cv, seed)
    fold_scores = _evaluate(
        strategies, X, labels, folds, scoring, n_jobs, scheduler=scheduler, progress=progress
    )
    results = _summarise(fold_scores, classes)
    results["aliases"] = [", ".join(aliases[name]) for name in results["strategy"]]
    results.attrs["class_counts"] = np.bincount(codes, minlength=len(classes)).tolist()
    return results
