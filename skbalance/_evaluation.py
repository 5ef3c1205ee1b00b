"""Private evaluation engine of compare and BalancedClassifierCV.

Folds, one fit-and-score task per (strategy, fold), the metrics of a fold,
the joblib / Dask execution and the per-strategy summary. The public
:func:`skbalance.compare.compare` and :class:`skbalance.BalancedClassifierCV`
are thin layers over it (as scikit-learn's ``_validation.py`` is under
``cross_validate`` and its searches).
"""

import sys
import threading
import time
import warnings
from contextlib import contextmanager, nullcontext
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.base import clone
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, check_cv
from sklearn.utils.parallel import Parallel, delayed

from ._pipeline import _fit_with_sample_weight
from ._sklearn_compat import _safe_indexing
from ._validation import _align_columns, _check_labels, _encode_labels
from .metrics import _confusion_scores

#: Names of the metrics the engine computes.
METRICS = ("f1_macro", "balanced_accuracy", "gmean")

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


def _make_folds(X, y, cv=5, random_state=None, n_repeats=1):
    """The train/test index pairs every strategy is evaluated on.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features (passed to the splitter).
    y : array-like of shape (n_samples,)
        Labels.
    cv : int, cross-validation generator or iterable
        An int means ``StratifiedKFold(cv, shuffle=True,
        random_state=random_state)``, or ``RepeatedStratifiedKFold(
        n_splits=cv, n_repeats=n_repeats, random_state=random_state)`` when
        ``n_repeats > 1``; a splitter or an iterable of ``(train, test)``
        pairs is used as is.
    random_state : int, RandomState instance or None
        Seed of the shuffling when ``cv`` is an int.
    n_repeats : int, default=1
        Number of repetitions of a ``cv``-fold split; more than 1 needs an
        int ``cv``.

    Returns
    -------
    folds : list of (ndarray, ndarray)
        Integer indices of the training and test rows of each fold, repeat
        after repeat.
    """
    y = _check_labels(y)
    is_int = isinstance(cv, Integral) and not isinstance(cv, bool)
    if n_repeats > 1 and not is_int:
        raise ValueError(
            f"n_repeats={n_repeats} repeats a K-fold split and needs an int cv (the "
            f"number of folds), got {type(cv).__name__}; repeat the folds in your "
            "splitter instead (e.g. RepeatedStratifiedKFold) with n_repeats=1."
        )
    if is_int and n_repeats > 1:
        splitter = RepeatedStratifiedKFold(
            n_splits=cv, n_repeats=n_repeats, random_state=random_state
        )
    elif is_int:
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
    keep_proba=False,
    n_splits=None,
):
    """Fit and score every strategy on every fold; return the per-fold table.

    Warnings raised in the tasks are recorded there (in worker processes
    too) and re-emitted here, in task order once every task is done, so the
    caller sees the same warnings whatever ``n_jobs`` is.

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
        Dask scheduler to run on, see :func:`skbalance.compare.compare`.
    progress : callable or None
        ``progress(n_done, n_total, record)`` after each task.
    sample_weight : array-like of shape (n_samples,) or None
        Passed to each strategy's ``fit`` for its training rows (to the final
        classifier of a pipeline, nested or not); not used in scoring.
    keep_proba : bool, default=False
        Also return the test rows' probabilities of every task.
    n_splits : int or None
        Folds per repeat: fold ``i`` of ``folds`` is numbered ``repeat = i //
        n_splits``, ``fold = i % n_splits``. None means one repeat.

    Returns
    -------
    fold_scores : pandas.DataFrame
        One row per (strategy, fold) in the order of ``strategies`` and
        ``folds``: ``strategy``, ``repeat``, ``fold``, the metrics,
        ``recall_<label>``, ``fit_time``, ``score_time``, ``error``.
    proba : dict of (str, int) -> ndarray or None
        Only with ``keep_proba``: the probabilities of the test rows of each
        (strategy, index of the fold in ``folds``), columns aligned with the
        sorted labels; None for a failed task or a model without
        ``predict_proba``.
    """
    y = _check_labels(y)
    classes, _ = _encode_labels(y)
    scoring = _check_scoring(scoring)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    n_splits = n_splits or len(folds)
    tasks = [
        delayed(_fit_and_score)(
            name, divmod(i, n_splits), estimator, X, y, train, test, classes, scoring,
            sample_weight, keep_proba,
        )
        for name, estimator in strategies.items()
        for i, (train, test) in enumerate(folds)
    ]
    if scheduler is not None and n_jobs is None:
        n_jobs = -1
    order = {name: i for i, name in enumerate(strategies)}

    def index(record):
        return record["repeat"] * n_splits + record["fold"]

    records, proba, caught = [], {}, {}
    with _dask_backend(scheduler) if scheduler is not None else nullcontext():
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
        for record in parallel(tasks):
            proba[record["strategy"], index(record)] = record.pop("proba")
            caught[order[record["strategy"]], index(record)] = record.pop("warnings")
            records.append(record)
            if progress is not None:
                progress(len(records), len(tasks), dict(record))
    records.sort(key=lambda record: (order[record["strategy"]], index(record)))
    _reemit([warning for key in sorted(caught) for warning in caught[key]])
    columns = _fold_columns(scoring, classes)
    fold_scores = pd.DataFrame.from_records(records, columns=columns)
    fold_scores["error"] = pd.Series([r["error"] for r in records], dtype=object)
    if keep_proba:
        return fold_scores, proba
    return fold_scores


def _fold_columns(scoring, classes):
    """Column names of the per-fold table."""
    recall = [f"recall_{label}" for label in classes.tolist()]
    return ["strategy", "repeat", "fold", *scoring, *recall, "fit_time", "score_time", "error"]


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


def _fit_and_score(
    name, split, estimator, X, y, train, test, classes, scoring, sample_weight, keep_proba=False
):
    """Fit a clone on the training rows and score it on the test rows.

    ``split`` is the task's ``(repeat, fold)``. Never raises an
    ``Exception``: a failure is returned as the record's ``error``
    (``"<type>: <message>"``) with NaN scores. With ``keep_proba`` the
    record's ``"proba"`` holds the test rows' probabilities (columns aligned
    with ``classes``), or None when the model has no predict_proba. The
    record's ``"warnings"`` lists the warnings raised, as
    ``(message, category, filename, lineno)``, for :func:`_reemit`.
    """
    repeat, fold = split
    record = {"strategy": name, "repeat": repeat, "fold": fold}
    record.update(fit_time=np.nan, score_time=np.nan, proba=None)
    record.update(dict.fromkeys(scoring, np.nan))
    record.update({f"recall_{label}": np.nan for label in classes.tolist()})
    with _recorded_warnings() as caught:
        _fit_and_score_into(
            record, estimator, X, y, train, test, classes, scoring, sample_weight, keep_proba
        )
    record["warnings"] = [(str(w.message), w.category, w.filename, w.lineno) for w in caught]
    return record


def _fit_and_score_into(
    record, estimator, X, y, train, test, classes, scoring, sample_weight, keep_proba
):
    """The work of :func:`_fit_and_score`: fill ``record`` in place."""
    try:
        model = clone(estimator)
        weights = None if sample_weight is None else sample_weight[train]
        start = time.perf_counter()
        _fit_with_sample_weight(model, _safe_indexing(X, train), y[train], weights)
        record["fit_time"] = time.perf_counter() - start
        start = time.perf_counter()
        X_test = _safe_indexing(X, test)
        y_pred = model.predict(X_test)
        record.update(_scores(y[test], np.asarray(y_pred), classes, scoring))
        record["score_time"] = time.perf_counter() - start
        if keep_proba and hasattr(model, "predict_proba"):
            proba = model.predict_proba(X_test)
            record["proba"] = _align_columns(proba, model.classes_, classes)
        record["error"] = None
    except Exception as exc:  # a failing strategy is reported, not fatal
        record["error"] = f"{type(exc).__name__}: {exc}"


@contextmanager
def _recorded_warnings():
    """Record every warning raised in the block (a list), to re-emit in the caller.

    Warning filters and ``showwarning`` are process-wide, so recording is
    only safe in the main thread (the sequential backend, or a worker
    process); in other threads (joblib's threading backend, Dask threads)
    warnings go through as usual.
    """
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    with warnings.catch_warnings(record=True) as caught:
        # record them all: the caller's filters decide when they are re-emitted
        warnings.simplefilter("always")
        yield caught


def _reemit(caught):
    """Re-emit warnings recorded by :func:`_recorded_warnings`, as if raised here.

    Each goes through the caller's filters with the registry of the module
    that raised it, so the "default" action shows it once per location, as
    for a warning raised in this process.
    """
    if not caught:
        return
    modules = _modules_by_file()
    for message, category, filename, lineno in caught:
        module = modules.get(filename)
        if module is None:
            registry = _REGISTRIES.setdefault(filename, {})
        else:
            registry = vars(sys.modules[module]).setdefault("__warningregistry__", {})
        warnings.warn_explicit(message, category, filename, lineno, module=module, registry=registry)


#: Warning registries of the files no loaded module comes from, by file name.
_REGISTRIES = {}


def _modules_by_file():
    """Source file -> name of every loaded module that has one."""
    return {
        getattr(module, "__file__", None): name
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None)
    }


def _scores(y_true, y_pred, classes, scoring):
    """Metrics of one fold over the classes of its test set, and per-class recall.

    The values of scikit-learn's ``recall_score(labels=classes,
    average=None, zero_division=nan)`` and ``f1_score(labels=present,
    average="macro", zero_division=0)`` and of imbalanced-learn's
    ``geometric_mean_score(labels=present, average="multiclass",
    correction=GMEAN_CORRECTION)``, ``present`` being the classes of
    ``y_true``, from the fold's confusion counts: without their input
    validation, which costs more than the fit of a small model.
    """
    true, pred = (
        _encode_labels(np.asarray(labels), classes, unknown="code")[1]
        for labels in (y_true, y_pred)
    )
    known = true >= 0
    recall, scores = _confusion_scores(true[known], pred[known], len(classes), scoring)
    return {f"recall_{label}": r for label, r in zip(classes.tolist(), recall.tolist())} | scores


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
        The ranked table described in :func:`skbalance.compare.compare`, with ``attrs``
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
