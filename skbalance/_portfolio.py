"""Private: what BalancedClassifierCV makes of its internal cross-validation.

Candidates built on several model families, out-of-bag scoring of forest
candidates, the choice that leaves the reference only on evidence, pooled
out-of-fold probabilities, and the members of the average. The
cross-validation fits are the evaluation engine's (:mod:`skbalance._evaluation`).
"""

import time

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier

from ._evaluation import _scores
from ._oob import _oob_proba
from ._pipeline import (
    _final_step,
    _fit_with_sample_weight,
)
from ._sklearn_compat import _ignoring_oob_warnings
from ._stats import _paired_statistics, _test_train_ratio
from ._strategies import default_strategies

#: Family name of ``None``, ``default_strategies``' standardised logistic regression.
_LR = "LogisticRegression"

#: P(better than the reference) a candidate needs to be chosen over it.
_THRESHOLD = 0.9

#: Half-width of the region of practical equivalence of the choice.
_ROPE = 0.01

#: The model families of ``estimator=None``: standardised logistic
#: regression (None, as ``default_strategies`` builds it) and a forest.
_DEFAULT_FAMILIES = (None, RandomForestClassifier(n_estimators=100))


def _family_strategies(estimators, random_state, sparse, kinds="auto"):
    """The candidate strategies of every model family, named ``"<family>/<strategy>"``.

    ``estimators=None`` means :data:`_DEFAULT_FAMILIES`. With one family the
    names are those of :func:`~skbalance.compare.default_strategies`,
    unprefixed. ``kinds="auto"``
    keeps ``plain`` and the ``weight:`` strategies (one fit each, out of bag
    for forests); ``"all"`` every default strategy but the ``tuned:`` ones,
    since the selector tunes the decision of its final model itself.
    """
    if estimators is None:
        estimators = [clone(f) if f is not None else None for f in _DEFAULT_FAMILIES]
    families = estimators if isinstance(estimators, (list, tuple)) else [estimators]
    if not families:
        raise ValueError("estimator is an empty list; give at least one classifier.")
    strategies, seen = {}, {}
    for estimator in families:
        family = type(_final_step(estimator)).__name__ if estimator is not None else _LR
        seen[family] = seen.get(family, 0) + 1
        if seen[family] > 1:
            family = f"{family}{seen[family]}"
        prefix = f"{family}/" if isinstance(estimators, (list, tuple)) else ""
        for name, strategy in default_strategies(estimator, random_state, sparse=sparse).items():
            if _is_candidate(name, kinds):
                strategies[f"{prefix}{name}"] = strategy
    return strategies


def _is_candidate(name, kinds):
    """Whether the default strategy ``name`` is a candidate of the given kinds."""
    if name.startswith("tuned:"):
        return False
    return kinds == "all" or name == "plain" or name.startswith("weight:")


def _reference_name(names):
    """The candidate the others must beat: the first ``plain`` one, else the first."""
    names = list(names)
    plain = [name for name in names if name == "plain" or name.endswith("/plain")]
    return plain[0] if plain else names[0]


def _choose(fold_scores, folds, reference, metric):
    """The best candidate reliably better than ``reference``, else ``reference``.

    The rule of :func:`skbalance.compare.recommend`: a candidate is chosen
    over the reference only when the correlated Bayesian t-test gives it
    P(better) >= 0.9 on the folds both were scored on; among those, the best
    mean wins. Returns the name and the table of paired statistics.
    """
    if "repeat" not in fold_scores:
        fold_scores = fold_scores.assign(repeat=0)
    statistics = _paired_statistics(
        fold_scores, reference, metric, _ROPE, _test_train_ratio(folds)
    )
    means = fold_scores.groupby("strategy", sort=False)[metric].mean()
    reliable = statistics.index[statistics["p_better"].to_numpy() >= _THRESHOLD]
    if len(reliable) == 0:
        return reference, statistics
    return means.loc[reliable].idxmax(), statistics


def _pooled_proba(proba, name, folds, n_samples):
    """Out-of-fold probabilities of ``name`` on every row, or None.

    None when some fold has no probabilities for it. The test sets of
    ``folds`` must hold every row exactly once (see :func:`_partition`).
    """
    parts = [proba.get((name, fold)) for fold in range(len(folds))]
    if any(part is None for part in parts):
        return None
    pooled = np.empty((n_samples, parts[0].shape[1]))
    for (_, test), part in zip(folds, parts):
        pooled[test] = part
    return pooled


def _ensemble_members(scores, reference, best):
    """Members of the average: every candidate scoring at least the reference's.

    Parameters
    ----------
    scores : dict of str -> float
        Each candidate's score on its pooled out-of-fold probabilities (only
        the candidates that have them).
    reference : str
        The candidate the others must match.
    best : str
        The chosen strategy, first among the members when it is one.

    Returns
    -------
    members : list of str
        The candidates other than the reference scoring at least as well
        as it, best first (``best`` leading); ``[reference]`` when none does,
        ``[best]`` when the reference has no pooled probabilities.
    """
    if reference not in scores:
        return [best]
    members = [n for n, s in scores.items() if n != reference and s >= scores[reference]]
    if not members:
        return [reference]
    members.sort(key=lambda name: (name != best, -scores[name]))
    return members


def _partition(folds, n_samples):
    """Whether the test sets of ``folds`` hold every row exactly once."""
    tests = np.concatenate([test for _, test in folds])
    return tests.size == n_samples and (np.bincount(tests, minlength=n_samples) == 1).all()


def _oob_fit_and_score(name, candidate, key, X, y, folds, classes, metric, sample_weight):
    """Fit ``candidate`` once with out-of-bag scoring; score its OOB predictions per fold.

    Returns ``(model, records, pooled)``: the model fitted on all rows, one
    record per fold (the engine's per-fold columns; the fit time is shared
    out over the folds) and the pooled out-of-bag probabilities. ``model``
    is None when some row has no out-of-bag prediction (too few trees) or
    the fit fails; the caller then cross-validates the candidate instead.
    """
    model = clone(candidate).set_params(**{key: True})
    start = time.perf_counter()
    try:
        with _ignoring_oob_warnings():  # rows never out of bag are detected below
            _fit_with_sample_weight(model, X, y, sample_weight)
    except Exception:  # cross-validated instead, where the error is recorded per fold
        return None, [], None
    fit_time = time.perf_counter() - start
    pooled = _oob_proba(model, classes)
    if not np.isfinite(pooled).all():
        return None, [], None
    y_pred = classes[np.argmax(pooled, axis=1)]
    records = []
    for i, (_, test) in enumerate(folds):
        record = {"strategy": name, "repeat": 0, "fold": i, "error": None}
        record.update(_scores(y[test], y_pred[test], classes, (metric,)))
        record.update(fit_time=fit_time / len(folds), score_time=0.0)
        records.append(record)
    return model, records, pooled
