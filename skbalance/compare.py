"""Cross-validated comparison of imbalance strategies on the same folds."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.sparse import issparse

from ._evaluation import (
    METRICS,
    _check_scoring,
    _evaluate,
    _make_folds,
    _summarise,
)
from ._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    validate_params,
)
from ._stats import (
    STAT_COLUMNS,
    Recommendation,
    _paired_statistics,
    _test_train_ratio,
    recommend,
)
from ._strategies import (
    _adapt_to_sample_weight,
    _check_strategies,
    _distinct_strategies,
    _leave_out_unable,
    default_strategies,
)
from ._validation import (
    _as_seed,
    _check_at_least_two_classes,
    _check_labels,
    _encode_labels,
)

__all__ = ["METRICS", "Recommendation", "compare", "default_strategies", "recommend"]


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
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "reference": [str, None],
        "rope": [Interval(Real, 0, None, closed="left")],
        "sample_weight": ["array-like", None],
        "return_fold_scores": ["boolean"],
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
    *,
    n_repeats=1,
    reference="plain",
    rope=0.01,
    sample_weight=None,
    return_fold_scores=False,
):
    """Cross-validate imbalance strategies on the same folds, and tell a real win from noise.

    Every strategy is fitted and scored on exactly the same train/test
    splits, so differences between rows come from the strategies, not from
    the folds. Each strategy is compared with ``reference`` fold by fold:
    the mean paired difference of the ranking metric, its 95 % interval and
    the probabilities that the strategy is better, practically equivalent
    (within ``±rope``) or worse (see Notes). A strategy that raises on a fold
    is reported in the ``error`` column instead of stopping the comparison.

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
        An int is the number of folds of ``StratifiedKFold(cv, shuffle=True,
        random_state=random_state)``, or of ``RepeatedStratifiedKFold(
        n_splits=cv, n_repeats=n_repeats, random_state=random_state)`` when
        ``n_repeats > 1``; a splitter or an iterable of ``(train, test)``
        index arrays is used as scikit-learn's ``cross_validate`` would.
    scoring : str or sequence of str, default=("f1_macro", "balanced_accuracy", "gmean")
        Metrics to compute, any of :data:`METRICS`: macro-averaged F1,
        balanced accuracy (mean per-class recall) and G-mean (geometric mean
        of per-class recalls, imbalanced-learn's ``geometric_mean_score``
        with ``correction=0.001``, see Notes). Strategies are ranked, and
        compared with ``reference``, by ``"f1_macro"`` when it is computed,
        else by the first metric listed.
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
    n_repeats : int, default=1
        Number of repetitions of the ``cv``-fold split, each shuffled
        differently; more folds make the statistics sharper. More than 1
        needs an int ``cv``.
    reference : str or None, default="plain"
        The strategy every other one is compared with (a name of
        ``strategies``, or of its aliases). None computes no statistics.
    rope : float, default=0.01
        Half-width of the region of practical equivalence: a mean difference
        within ``±rope`` of the ranking metric counts as no difference.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the rows, passed to every strategy's ``fit``
        for its training rows (to the final classifier of a pipeline); the
        scores are not weighted.
    return_fold_scores : bool, default=False
        Also return the per-fold table.

    Returns
    -------
    results : pandas.DataFrame
        One row per strategy, best mean first (by the ranking metric;
        strategies with an error last), with columns ``strategy``,
        ``<metric>_mean`` and ``<metric>_std`` for each metric of
        ``scoring`` (the standard deviation across folds), ``fit_time_mean``
        (seconds), ``recall_<label>`` for each class (mean over the folds
        whose test set holds the class), then, unless ``reference`` is None,
        ``diff_mean``, ``diff_low``, ``diff_high`` (the mean paired
        difference of the ranking metric to the reference and its 95 %
        interval), ``p_better``, ``p_equivalent``, ``p_worse`` (posterior
        probabilities that the difference is above ``rope``, within
        ``±rope``, below ``-rope``; all six NaN for the reference itself and
        for failed strategies), then ``error`` (None, or the first error
        message of a strategy that failed on some fold; its scores are then
        NaN) and ``aliases`` (the names of the other strategies that are
        the same model, comma-separated; "" if none).
        ``results.attrs`` holds:

        - ``"best_strategy"``: name of the first row (None if all failed);
        - ``"recommendation"``: :func:`recommend`'s verdict as a dict (see
          :class:`Recommendation`), None when ``reference`` is None;
        - ``"reference"``, ``"rope"`` and ``"n_repeats"``;
        - ``"fold_scores"``: the per-fold table as a dict of columns (kept
          for backwards compatibility; prefer ``return_fold_scores=True``);
        - ``"classes"`` and ``"class_counts"``: the labels and their sizes;
        - ``"scoring"``, ``"rank_by"`` and ``"n_splits"`` (folds per repeat).
    fold_scores : pandas.DataFrame
        Only with ``return_fold_scores=True``: one row per (strategy,
        repeat, fold) with columns ``strategy``, ``repeat``, ``fold``, the
        metrics, ``recall_<label>``, ``fit_time``, ``score_time`` and
        ``error``.

    See Also
    --------
    recommend : The strategy to use, only if reliably better than the reference.
    BalancedClassifier : The meta-estimator behind most default strategies.
    skbalance.plotting.plot_comparison : A figure of the results.

    Notes
    -----
    The fold scores of two strategies are paired (same training and test
    rows), and correlated across folds (the training sets overlap), so the
    naive standard error of their mean difference is too small. The
    statistics use the correlated t-test for repeated cross-validation of
    Nadeau & Bengio (2003): over the J = ``cv × n_repeats`` folds, the
    variance of the mean difference is ``(1/J + n_test/n_train) · s²``,
    ``s²`` being the variance of the J differences, with a Student
    distribution of J − 1 degrees of freedom, which gives the 95 % interval.
    Its Bayesian reading (Benavoli et al. 2017, JMLR 18(77); the one of
    ``baycomp.two_on_single``) takes that Student distribution as the
    posterior of the difference, whose mass above ``rope``, within
    ``±rope`` and below ``-rope`` gives ``p_better``, ``p_equivalent`` and
    ``p_worse``. With identical fold scores (the same model under two
    names) the posterior is a point mass: ``p_equivalent`` is 1 when the
    difference is within the rope. With one fold there is no variance to
    estimate: the interval and probabilities are NaN.

    The metrics of a fold are computed over the classes present in its test
    set, as :func:`~sklearn.metrics.balanced_accuracy_score` does, so a
    class too small to appear in every fold neither fails the fold nor
    counts as a miss; a prediction of that class is still an error for the
    true class of the row. A class with fewer samples than folds triggers a
    ``UserWarning`` naming it. The G-mean replaces a zero recall by 0.001
    (imbalanced-learn's ``correction``): a class never recovered on a fold
    lowers the G-mean sharply (with 10 classes and the others perfect, to
    0.001 ** 0.1 ≈ 0.50) instead of making it 0 whatever the other classes.

    Warnings raised while fitting and scoring, in worker processes too, are
    re-emitted in the calling process once all the tasks are done, in the
    order of the strategies and folds, the same for every ``n_jobs``.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skbalance import BalancedClassifier
    >>> from skbalance.compare import compare
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> X, y = load_long_tailed_digits(imbalance_ratio=20, return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=4, random_state=0)
    >>> strategies = {"plain": tree, "balanced": BalancedClassifier(tree)}
    >>> results = compare(X, y, strategies=strategies, cv=5, n_repeats=2, random_state=0)
    >>> results[["strategy", "f1_macro_mean", "diff_mean", "p_better"]].round(2)
       strategy  f1_macro_mean  diff_mean  p_better
    0  balanced           0.59       0.11       1.0
    1     plain           0.48        NaN       NaN
    >>> print(results.attrs["recommendation"]["message"])  # 3rd digits vary by version
    balanced is reliably better than plain (macro-F1 +0.11..., 95% interval
    +0.05... to +0.17..., P(better)>0.99)
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
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, labels, dtype=np.float64, ensure_non_negative=True
        )
    seed = _as_seed(random_state)
    if strategies is None:
        strategies = default_strategies(estimator, seed, sparse=issparse(X))
        strategies = _adapted_to_data(strategies, X, sample_weight)
        strategies, aliases = _distinct_strategies(strategies, labels, sample_weight)
    else:
        strategies = _check_strategies(strategies)
        aliases = {name: [] for name in strategies}
    reference = _check_reference(reference, aliases)
    folds = _make_folds(X, labels, cv, seed, n_repeats=n_repeats)
    fold_scores = _evaluate(
        strategies, X, labels, folds, scoring, n_jobs, scheduler=scheduler,
        progress=progress, sample_weight=sample_weight, n_splits=len(folds) // n_repeats,
    )  # fmt: skip
    results = _summarise(fold_scores, classes)
    # pandas deep-copies attrs (the fold scores among them) at every column
    # access: finish the table without them, then attach them
    attrs, results = results.attrs, pd.DataFrame(results)
    if reference is not None:
        statistics = _paired_statistics(
            fold_scores, reference, attrs["rank_by"], rope, _test_train_ratio(folds)
        )
        results = _insert_before(results, statistics, "error")
    results["aliases"] = [", ".join(aliases[name]) for name in results["strategy"]]
    attrs.update(
        class_counts=np.bincount(codes, minlength=len(classes)).tolist(),
        reference=reference,
        rope=float(rope),
        n_repeats=int(n_repeats),
    )
    results.attrs = attrs
    advice = recommend(results) if reference is not None else None
    results.attrs["recommendation"] = advice.to_dict() if advice is not None else None
    if return_fold_scores:
        return results, fold_scores
    return results


def _adapted_to_data(strategies, X, sample_weight):
    """Default strategies fitted for this data, one ``UserWarning`` per change.

    Strategies with a step unable to take the missing values of ``X`` are
    left out; those whose classifier lacks ``sample_weight`` get the weights
    by resampling.
    """
    strategies, messages = _leave_out_unable(strategies, X)
    if sample_weight is not None:
        strategies, adapted = _adapt_to_sample_weight(strategies)
        messages += adapted
    for message in messages:
        warnings.warn(message, UserWarning, stacklevel=3)
    return strategies


def _check_reference(reference, aliases):
    """The name ``reference`` is evaluated under (its group's), or a clear error."""
    if reference is None or reference in aliases:
        return reference
    for name, others in aliases.items():
        if reference in others:
            return name
    raise ValueError(
        f"reference={reference!r} is not one of the strategies "
        f"{sorted({*aliases, *(n for others in aliases.values() for n in others)})}; "
        "pass reference=<one of them>, or reference=None for no statistics."
    )


def _insert_before(results, statistics, column):
    """``results`` with the columns of ``statistics`` (indexed by strategy) before ``column``."""
    aligned = statistics.reindex(results["strategy"].tolist())
    at = results.columns.get_loc(column)
    for offset, name in enumerate(STAT_COLUMNS):
        results.insert(at + offset, name, aligned[name].to_numpy())
    return results
