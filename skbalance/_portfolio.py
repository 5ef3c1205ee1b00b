"""Private: what BalancedClassifierCV makes of its internal cross-validation.

Candidates built on several model families, the choice that leaves the
reference only on evidence, pooled out-of-fold probabilities, and the soft
vote of the top candidates. The fits themselves are the evaluation engine's
(:mod:`skbalance._evaluation`); nothing here fits a model.
"""

import numpy as np

from ._evaluation import _scores
from ._pipeline import _final_step
from ._stats import _paired_statistics, _test_train_ratio
from ._strategies import default_strategies

#: P(better than the reference) a candidate needs to be chosen over it.
_THRESHOLD = 0.9

#: Half-width of the region of practical equivalence of the choice.
_ROPE = 0.01

#: Most candidates a soft vote combines.
_MAX_MEMBERS = 3


def _family_strategies(estimators, random_state, sparse):
    """The default strategies of every model family, named ``"<family>/<strategy>"``.

    With one family (or None) the names are those of
    :func:`~skbalance.compare.default_strategies`, unprefixed. The
    ``tuned:`` strategies are left out: the selector tunes the decision of
    its final model itself, from the fits it already made.
    """
    if not isinstance(estimators, (list, tuple)):
        return _untuned(default_strategies(estimators, random_state, sparse=sparse))
    if not estimators:
        raise ValueError("estimator is an empty list; give at least one classifier.")
    strategies, seen = {}, {}
    for estimator in estimators:
        family = type(_final_step(estimator)).__name__
        seen[family] = seen.get(family, 0) + 1
        if seen[family] > 1:
            family = f"{family}{seen[family]}"
        family_strategies = default_strategies(estimator, random_state, sparse=sparse)
        for name, strategy in _untuned(family_strategies).items():
            strategies[f"{family}/{name}"] = strategy
    return strategies


def _untuned(strategies):
    """``strategies`` without the decision-tuned ones."""
    return {name: s for name, s in strategies.items() if not name.startswith("tuned:")}


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

    None when some fold has no probabilities for it, or when the test sets
    of ``folds`` do not hold every row exactly once (a ``ShuffleSplit``, say).
    """
    parts = [proba.get((name, fold)) for fold in range(len(folds))]
    if any(part is None for part in parts) or not _partition(folds, n_samples):
        return None
    pooled = np.empty((n_samples, parts[0].shape[1]))
    for (_, test), part in zip(folds, parts):
        pooled[test] = part
    return pooled


def _pooled_score(proba, y, classes, metric):
    """``metric`` of the argmax of pooled probabilities."""
    y_pred = classes[np.argmax(proba, axis=1)]
    return _scores(y, y_pred, classes, (metric,))[metric]


def _soft_vote(pooled, ranked, y, classes, metric):
    """Members of the soft vote, added best first while the pooled score rises.

    Parameters
    ----------
    pooled : dict of str -> ndarray
        Pooled out-of-fold probabilities of the candidates that have them.
    ranked : list of str
        Candidate names, the chosen one first, then by mean score.

    Returns
    -------
    members : list of str
        The chosen candidate alone, or it and the candidates whose equal
        share in the average raised the pooled score.
    """
    members = [ranked[0]]
    total = pooled[ranked[0]].copy()
    best = _pooled_score(total, y, classes, metric)
    for name in ranked[1:]:
        if len(members) == _MAX_MEMBERS:
            break
        if name not in pooled:
            continue
        score = _pooled_score(total + pooled[name], y, classes, metric)
        if score > best:
            members.append(name)
            total += pooled[name]
            best = score
    return members


def _partition(folds, n_samples):
    """Whether the test sets of ``folds`` hold every row exactly once."""
    tests = np.concatenate([test for _, test in folds])
    return tests.size == n_samples and (np.bincount(tests, minlength=n_samples) == 1).all()
