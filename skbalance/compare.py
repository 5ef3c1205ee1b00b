"""Cross-validated comparison of imbalance strategies on the same folds."""

import time
import warnings
from contextlib import contextmanager, nullcontext
from numbers import Integral

import numpy as np
import pandas as pd
from imblearn.metrics import geometric_mean_score
from joblib import parallel_config
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from ._sklearn_compat import HasMethods, StrOptions, _safe_indexing, validate_params
from ._validation import (
    _check_at_least_two_classes,
    _check_classifier,
    _check_labels,
    _encode_labels,
)
from .weights import SCHEMES

__all__ = ["METRICS", "compare"]

#: Names of the metrics :func:`compare` can compute.
METRICS = ("f1_macro", "balanced_accuracy", "gmean")


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
        The strategies to compare, by name. None compares the defaults:

        - ``"plain"``: the estimator as it is;
        - ``"weight:<scheme>"``: ``BalancedClassifier(estimator,
          weighting=scheme)`` for every scheme of
          :data:`skbalance.weights.SCHEMES` but ``"none"``;
        - ``"sampler:random_over"``, ``"sampler:random_under"``,
          ``"sampler:smote"``: ``BalancedClassifier(estimator,
          weighting=None, sampler=...)`` with imbalanced-learn's
          ``RandomOverSampler``, ``RandomUnderSampler`` and ``SMOTE``;
        - ``"router"``: ``SmallClassRouter(BalancedClassifier(estimator),
          BalancedClassifier(estimator))``;
        - ``"focal"``: a :class:`FocalLossClassifier` behind the same
          preprocessing (a ``StandardScaler`` by default), only when the
          estimator is a linear model or a pipeline ending in one.
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
        holds the class) and ``error`` (None, or the first error message of
        a strategy that failed on some fold; its scores are then NaN).
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
        strategies = _default_strategies(estimator, seed)
    else:
        strategies = _check_strategies(strategies)
    folds = _make_folds(X, labels, cv, seed)
    fold_scores = _evaluate(
        strategies, X, labels, folds, scoring, n_jobs, scheduler=scheduler, progress=progress
    )
    results = _summarise(fold_scores, classes)
    results.attrs["class_counts"] = np.bincount(codes, minlength=len(classes)).tolist()
    return results


def _check_scoring(scoring):
    """Return ``scoring`` as a tuple of distinct metric names of METRICS."""
    if isinstance(scoring, str):
        scoring = (scoring,)
    scoring = tuple(dict.fromkeys(scoring))
    unknown = [metric for metric in scoring if metric not in METRICS]
    if unknown or not scoring:
        raise ValueError(
            f"scoring must be a non-empty subset of {list(METRICS)}, got "
            f"{list(scoring)}" + (f" (unknown: {unknown})." if unknown else ".")
        )
    return scoring


def _check_strategies(strategies):
    """Check a user dict of strategies: non-empty, str names, classifiers."""
    if not strategies:
        raise ValueError(
            "strategies is empty; pass a dict name -> classifier, or None for "
            "the default strategies."
        )
    for name, estimator in strategies.items():
        if not isinstance(name, str):
            raise TypeError(f"Strategy names must be strings, got {name!r}.")
        _check_classifier(estimator, f"Strategy {name!r}")
    return dict(strategies)


def _as_seed(random_state):
    """An int (or None) standing for ``random_state``, drawn once."""
    if random_state is None or isinstance(random_state, Integral):
        return random_state
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _default_strategies(estimator=None, random_state=None):
    """The default strategies built on ``estimator``, by name.

    Parameters
    ----------
    estimator : classifier or None
        Base classifier, or a pipeline ending in one; None means a
        standardised ``LogisticRegression(max_iter=1000)``.
    random_state : int or None
        Seed given to every unset ``random_state`` (estimator, samplers,
        BalancedClassifier).

    Returns
    -------
    strategies : dict of str -> estimator
        Unfitted estimators; see :func:`compare` for the names.
    """
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    from .classifier import BalancedClassifier
    from .focal import FocalLossClassifier
    from .router import SmallClassRouter

    if estimator is None:
        estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    _check_classifier(estimator, "estimator")
    estimator = _seeded(clone(estimator), random_state)
    final = estimator.steps[-1][1] if _is_pipeline(estimator) else estimator

    def wrap(model):
        return _replace_final(estimator, model)

    def balanced(**params):
        return BalancedClassifier(clone(final), random_state=random_state, **params)

    strategies = {"plain": clone(estimator)}
    for scheme in SCHEMES:
        if scheme != "none":
            strategies[f"weight:{scheme}"] = wrap(balanced(weighting=scheme))
    samplers = {
        "random_over": RandomOverSampler(random_state=random_state),
        "random_under": RandomUnderSampler(random_state=random_state),
        "smote": SMOTE(random_state=random_state),
    }
    for name, sampler in samplers.items():
        strategies[f"sampler:{name}"] = wrap(balanced(weighting=None, sampler=sampler))
    strategies["router"] = wrap(SmallClassRouter(balanced(), balanced()))
    if _is_linear(final):
        focal = FocalLossClassifier(**_focal_params(final))
        if _is_pipeline(estimator):
            strategies["focal"] = wrap(focal)
        else:
            strategies["focal"] = make_pipeline(StandardScaler(), focal)
    return strategies


def _is_pipeline(estimator):
    """Whether ``estimator`` is a scikit-learn or imbalanced-learn pipeline."""
    return hasattr(estimator, "steps") and hasattr(estimator, "named_steps")


def _replace_final(estimator, model):
    """``model`` behind the steps of ``estimator`` before its last, if any."""
    if not _is_pipeline(estimator):
        return model
    pipeline = clone(estimator)
    return pipeline.set_params(**{pipeline.steps[-1][0]: model})


def _is_linear(estimator):
    """Whether the classifier is a linear model (focal loss is its analogue)."""
    module = type(estimator).__module__
    return (
        module.startswith("sklearn.linear_model")
        or module.startswith("skbalance.focal")
        or isinstance(estimator, LinearSVC)
    )


def _focal_params(final):
    """Carry the regularisation strength of a logistic regression over."""
    if isinstance(final, LogisticRegression) and isinstance(final.C, (int, float)):
        return {"C": float(final.C)}
    return {}


def _seeded(estimator, random_state):
    """Set every unset ``random_state`` of ``estimator`` (deep) to the seed."""
    if random_state is None:
        return estimator
    unset = {
        key: random_state
        for key, value in estimator.get_params(deep=True).items()
        if (key == "random_state" or key.endswith("__random_state")) and value is None
    }
    return estimator.set_params(**unset)


def _make_folds(X, y, cv=5, random_state=None):
    """The train/test index pairs every strategy is evaluated on.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features (passed to the splitter).
    y : array-like of shape (n_samples,)
        Labels.
    cv : int, cross-validation generator or iterable
        An int means ``StratifiedKFold(cv, shuffle=True,
        random_state=random_state)``; a splitter or an iterable of
        ``(train, test)`` pairs is used as is.
    random_state : int, RandomState instance or None
        Seed of the shuffling when ``cv`` is an int.

    Returns
    -------
    folds : list of (ndarray, ndarray)
        Integer indices of the training and test rows of each fold.
    """
    y = _check_labels(y)
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        splitter = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    else:
        splitter = check_cv(cv, y, classifier=True)
    with warnings.catch_warnings():
        # replaced by _warn_small_classes, which names the classes
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        folds = [
            (_as_indices(train, len(y)), _as_indices(test, len(y)))
            for train, test in splitter.split(X, y)
        ]
    if not folds:
        raise ValueError("cv produced no (train, test) split.")
    _warn_small_classes(y, folds)
    return folds


def _as_indices(rows, n_samples):
    """Integer row indices from indices or a boolean mask."""
    rows = np.asarray(rows)
    if rows.dtype == bool:
        return np.flatnonzero(rows)
    return rows.astype(np.intp, copy=False)


def _warn_small_classes(y, folds):
    """Warn, naming them, about classes missing from some test fold."""
    classes, codes = _encode_labels(y)
    present = np.array(
        [np.bincount(codes[test], minlength=len(classes)) > 0 for _, test in folds]
    )
    missing = ~present.all(axis=0)
    if missing.any():
        counts = np.bincount(codes, minlength=len(classes))
        named = ", ".join(
            f"{label!r} ({n} sample{'' if n == 1 else 's'})"
            for label, n in zip(classes[missing].tolist(), counts[missing].tolist())
        )
        warnings.warn(
            f"The classes {named} are missing from some of the {len(folds)} test "
            "folds (fewer samples than folds). Each fold is scored on the classes "
            "it contains and recall_<label> averages the folds that hold the "
            "class; consider fewer folds or more data for these classes.",
            UserWarning,
            stacklevel=3,
        )


def _evaluate(
    strategies,
    X,
    y,
    folds,
    scoring,
    n_jobs,
    scheduler=None,
    progress=None,
    sample_weight=None,
):
    """Fit and score every strategy on every fold; return the per-fold table.

    Parameters
    ----------
    strategies : dict of str -> classifier
        Unfitted estimators (cloned in each task).
    X, y : array-like
        Features and labels; ``folds`` index their rows.
    folds : list of (ndarray, ndarray)
        As returned by :func:`_make_folds`.
    scoring : sequence of str
        Metric names of :data:`METRICS`.
    n_jobs : int or None
        Number of parallel tasks (joblib).
    scheduler : str, distributed.Client or None
        Dask scheduler to run on, see :func:`compare`.
    progress : callable or None
        ``progress(n_done, n_total, record)`` after each task.
    sample_weight : array-like of shape (n_samples,) or None
        Passed to each strategy's ``fit`` for its training rows (as
        ``<last step>__sample_weight`` for a pipeline); not used in scoring.

    Returns
    -------
    fold_scores : pandas.DataFrame
        One row per (strategy, fold) in the order of ``strategies`` and
        ``folds``: ``strategy``, ``fold``, the metrics, ``recall_<label>``,
        ``fit_time``, ``score_time``, ``error``.
    """
    y = _check_labels(y)
    classes, _ = _encode_labels(y)
    scoring = _check_scoring(scoring)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    order = {name: i for i, name in enumerate(strategies)}
    tasks = [
        delayed(_fit_and_score)(
            name, fold, estimator, X, y, train, test, classes, scoring, sample_weight
        )
        for name, estimator in strategies.items()
        for fold, (train, test) in enumerate(folds)
    ]
    if scheduler is not None and n_jobs is None:
        n_jobs = -1
    records = []
    with _dask_backend(scheduler) if scheduler is not None else nullcontext():
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
        for record in parallel(tasks):
            records.append(record)
            if progress is not None:
                progress(len(records), len(tasks), dict(record))
    records.sort(key=lambda record: (order[record["strategy"]], record["fold"]))
    columns = _fold_columns(scoring, classes)
    fold_scores = pd.DataFrame.from_records(records, columns=columns)
    fold_scores["error"] = pd.Series([r["error"] for r in records], dtype=object)
    return fold_scores


def _fold_columns(scoring, classes):
    """Column names of the per-fold table."""
    recall = [f"recall_{label}" for label in classes.tolist()]
    return ["strategy", "fold", *scoring, *recall, "fit_time", "score_time", "error"]


@contextmanager
def _dask_backend(scheduler):
    """Run joblib on the Dask cluster at ``scheduler`` (address or Client)."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Running on a Dask scheduler needs dask and distributed: "
            'pip install "skbalance[distributed]".'
        ) from exc
    own_client = isinstance(scheduler, str)
    client = Client(scheduler) if own_client else scheduler
    try:
        with parallel_config(backend="dask", client=client):
            yield
    finally:
        if own_client:
            client.close()


def _fit_and_score(name, fold, estimator, X, y, train, test, classes, scoring, sample_weight):
    """Fit a clone on the training rows and score it on the test rows.

    Never raises an ``Exception``: a failure is returned as the record's
    ``error`` (``"<type>: <message>"``) with NaN scores.
    """
    record = {"strategy": name, "fold": fold, "fit_time": np.nan, "score_time": np.nan}
    record.update(dict.fromkeys(scoring, np.nan))
    record.update({f"recall_{label}": np.nan for label in classes.tolist()})
    try:
        model = clone(estimator)
        fit_params = _fit_params(model, sample_weight, train)
        start = time.perf_counter()
        model.fit(_safe_indexing(X, train), y[train], **fit_params)
        record["fit_time"] = time.perf_counter() - start
        start = time.perf_counter()
        y_pred = model.predict(_safe_indexing(X, test))
        record.update(_scores(y[test], np.asarray(y_pred), classes, scoring))
        record["score_time"] = time.perf_counter() - start
        record["error"] = None
    except Exception as exc:  # a failing strategy is reported, not fatal
        record["error"] = f"{type(exc).__name__}: {exc}"
    return record


def _fit_params(estimator, sample_weight, train):
    """``fit`` keyword arguments passing the training rows' sample weights."""
    if sample_weight is None:
        return {}
    if _is_pipeline(estimator):
        return {f"{estimator.steps[-1][0]}__sample_weight": sample_weight[train]}
    return {"sample_weight": sample_weight[train]}


def _scores(y_true, y_pred, classes, scoring):
    """Metrics of one fold over the classes of its test set, and per-class recall."""
    recall = recall_score(
        y_true, y_pred, labels=classes, average=None, zero_division=np.nan
    )
    present = classes[~np.isnan(recall)]
    scores = {f"recall_{label}": r for label, r in zip(classes.tolist(), recall.tolist())}
    if "f1_macro" in scoring:
        scores["f1_macro"] = f1_score(
            y_true, y_pred, labels=present, average="macro", zero_division=0
        )
    if "balanced_accuracy" in scoring:
        # balanced_accuracy_score, without its warning for predicted classes
        # absent from the fold
        scores["balanced_accuracy"] = float(np.nanmean(recall))
    if "gmean" in scoring:
        scores["gmean"] = geometric_mean_score(
            y_true, y_pred, labels=present, average="multiclass"
        )
    return scores


def _summarise(fold_scores, classes):
    """Rank the strategies of a per-fold table; one row per strategy.

    Parameters
    ----------
    fold_scores : pandas.DataFrame
        As returned by :func:`_evaluate`.
    classes : array-like
        The labels whose ``recall_<label>`` columns are reported.

    Returns
    -------
    results : pandas.DataFrame
        The ranked table described in :func:`compare`, with ``attrs``
        ``best_strategy``, ``fold_scores``, ``classes``, ``scoring``,
        ``rank_by`` and ``n_splits``.
    """
    classes = np.asarray(classes)
    scoring = [metric for metric in METRICS if metric in fold_scores.columns]
    rank_by = "f1_macro" if "f1_macro" in scoring else scoring[0]
    recall = [f"recall_{label}" for label in classes.tolist()]
    rows = [
        _summary_row(name, group, scoring, recall)
        for name, group in fold_scores.groupby("strategy", sort=False)
    ]
    results = pd.DataFrame(rows)
    results["error"] = pd.Series([row["error"] for row in rows], dtype=object)
    failed = results["error"].notna().to_numpy()
    key = np.where(failed, -np.inf, results[f"{rank_by}_mean"].fillna(-np.inf).to_numpy())
    results = results.iloc[np.argsort(-key, kind="stable")].reset_index(drop=True)
    best = results.iloc[0]
    usable = best["error"] is None and not np.isnan(best[f"{rank_by}_mean"])
    results.attrs.update(
        best_strategy=best["strategy"] if usable else None,
        fold_scores=fold_scores.to_dict(orient="list"),
        classes=classes.tolist(),
        scoring=scoring,
        rank_by=rank_by,
        n_splits=int(fold_scores["fold"].nunique()),
    )
    return results


def _summary_row(name, group, scoring, recall):
    """Mean and std over folds of one strategy (NaN if any fold failed)."""
    errors = group["error"].dropna()
    row = {"strategy": name}
    for metric in scoring:
        values = group[metric].to_numpy(dtype=np.float64)
        row[f"{metric}_mean"] = np.mean(values)
        row[f"{metric}_std"] = np.std(values)
    row["fit_time_mean"] = group["fit_time"].mean()
    for column in recall:
        # mean over the folds holding the class; NaN if none does, or if the
        # fold table was computed on rows without the class
        row[column] = group[column].astype(np.float64).mean() if column in group else np.nan
    if len(errors):
        for column in row:
            if column != "strategy":
                row[column] = np.nan
        row["error"] = errors.iloc[0]
    else:
        row["error"] = None
    return row
