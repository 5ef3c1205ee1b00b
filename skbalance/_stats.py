"""Is the difference real? Paired statistics and the recommendation rule of compare.

The correlated t-test for repeated cross-validation (Nadeau & Bengio 2003),
its Bayesian form (Benavoli et al. 2017), the statistics columns of
:func:`skbalance.compare.compare` and the rule that turns them into a
recommendation, shared by the CLI, the plot and
:class:`skbalance.BalancedClassifierCV`.
"""

from dataclasses import asdict, dataclass
from numbers import Real
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import stdtr, stdtrit

from ._sklearn_compat import Interval, validate_params
from .plotting import _METRIC_LABELS

__all__ = ["Recommendation", "recommend"]

#: Columns :func:`_paired_statistics` adds to the results of compare.
STAT_COLUMNS = ("diff_mean", "diff_low", "diff_high", "p_better", "p_equivalent", "p_worse")

#: Name prefixes of the strategy families, simplest first (see _simplest_first).
_SIMPLICITY = ("plain", "weight:", "sampler:", "router", "focal", "tuned:")


@dataclass(frozen=True)
class Recommendation:
    """What :func:`recommend` concludes from a comparison.

    Attributes
    ----------
    strategy : str
        The recommended strategy: the best of those reliably better than the
        reference, else the reference itself.
    reference : str
        The strategy every other one was compared with.
    reliable : bool
        True when ``strategy`` beats the reference with ``p_better`` at least
        the threshold of :func:`recommend`.
    equivalent : tuple of str
        The strategies practically equivalent to the reference (for which the
        region of practical equivalence is the most probable of the three
        outcomes), the reference included, simplest first.
    metric : str
        The metric compared (``results.attrs["rank_by"]``).
    score, reference_score : float
        Mean of ``metric`` over the folds for ``strategy`` and the reference.
    diff : float
        Mean paired difference ``score - reference_score`` (0 when the
        reference is kept).
    p_better : float
        Posterior probability that ``strategy`` is better than the reference
        by more than the rope (NaN when the reference is kept).
    message : str
        One sentence saying the above to a person.
    """

    strategy: str
    reference: str
    reliable: bool
    equivalent: tuple
    metric: str
    score: float
    reference_score: float
    diff: float
    p_better: float
    message: str

    def to_dict(self):
        """The fields as a plain dict (``equivalent`` as a list)."""
        fields = asdict(self)
        fields["equivalent"] = list(self.equivalent)
        return fields


@validate_params(
    {"results": [pd.DataFrame], "threshold": [Interval(Real, 0, 1, closed="right")]},
    prefer_skip_nested_validation=True,
)
def recommend(results, *, threshold=0.9):
    """Recommend a strategy from :func:`compare` results, only if reliably better.

    A strategy is recommended over the reference only when it is better by
    more than the rope with posterior probability ``p_better >= threshold``;
    among such strategies the one with the highest mean score wins. When none
    is, the reference is kept and the message says plainly that no strategy
    is reliably better, listing the practically equivalent group simplest
    first: ``plain``, ``weight:*``, ``sampler:*``, ``router``, ``focal``,
    ``tuned:*``, then the others in the order they were compared.

    Parameters
    ----------
    results : pandas.DataFrame
        The table returned by :func:`skbalance.compare.compare` with a
        ``reference`` (its statistics columns ``diff_mean``, ``diff_low``,
        ``diff_high``, ``p_better``, ``p_equivalent``, ``p_worse`` and
        ``attrs`` ``"reference"`` and ``"rank_by"``).
    threshold : float, default=0.9
        Posterior probability of being better needed to recommend a strategy
        over the reference, in (0, 1].

    Returns
    -------
    recommendation : Recommendation
        The recommended strategy, whether the choice is reliable, the
        practically equivalent group and a one-sentence message.

    See Also
    --------
    skbalance.compare.compare : Produces the results and their statistics.

    Notes
    -----
    When the reference failed, nothing can be compared with it: the best
    strategy by mean score is returned with ``reliable=False`` and a message
    saying so.

    Examples
    --------
    >>> from skbalance.compare import compare, recommend
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_long_tailed_digits(imbalance_ratio=20, return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=4, random_state=0)
    >>> strategies = {"plain": tree, "again": tree}
    >>> results = compare(X, y, strategies=strategies, cv=3, random_state=0)
    >>> advice = recommend(results)
    >>> advice.strategy, advice.reliable, advice.equivalent
    ('plain', False, ('plain', 'again'))
    >>> print(advice.message)
    No strategy is reliably better than plain on this data; practically
    equivalent: plain, again.
    """
    reference, metric = _check_results(results)
    order = _given_order(results)
    # without attrs, which pandas deep-copies at every column access
    results = pd.DataFrame(results)
    names = results["strategy"].tolist()
    means = results[f"{metric}_mean"].to_numpy(dtype=np.float64)
    ok = results["error"].isna().to_numpy() & ~np.isnan(means)
    column = {name: results[name].to_numpy(dtype=np.float64) for name in STAT_COLUMNS}
    if reference not in names or not ok[names.index(reference)]:
        return _without_reference(names, means, ok, reference, metric)
    rope_wins = (column["p_equivalent"] > column["p_better"]) & (
        column["p_equivalent"] > column["p_worse"]
    )
    equivalent = [names[i] for i in np.flatnonzero(ok & rope_wins) if names[i] != reference]
    equivalent = tuple(_simplest_first([reference, *equivalent], order))
    reference_score = float(means[names.index(reference)])
    better = np.flatnonzero(ok & (np.nan_to_num(column["p_better"], nan=-1.0) >= threshold))
    if not better.size:
        return Recommendation(
            strategy=reference,
            reference=reference,
            reliable=False,
            equivalent=equivalent,
            metric=metric,
            score=reference_score,
            reference_score=reference_score,
            diff=0.0,
            p_better=np.nan,
            message=(
                f"No strategy is reliably better than {reference} on this data; "
                f"practically equivalent: {', '.join(equivalent)}."
            ),
        )
    best = better[int(np.argmax(means[better]))]
    diff, low, high, p_better = (
        float(column[name][best]) for name in ("diff_mean", "diff_low", "diff_high", "p_better")
    )
    return Recommendation(
        strategy=names[best],
        reference=reference,
        reliable=True,
        equivalent=equivalent,
        metric=metric,
        score=float(means[best]),
        reference_score=reference_score,
        diff=diff,
        p_better=p_better,
        message=(
            f"{names[best]} is reliably better than {reference} "
            f"({_METRIC_LABELS.get(metric, metric)} {diff:+.3f}, 95% interval "
            f"{low:+.3f} to {high:+.3f}, P(better){_probability(p_better)})"
        ),
    )


def _probability(p):
    """``=0.97``, or ``>0.99`` for a probability that would round to 1 but is not."""
    return ">0.99" if 0.995 <= p < 1 else f"={p:.2f}"


def _check_results(results):
    """The reference and the ranking metric of compare results, or a clear error."""
    reference = results.attrs.get("reference")
    metric = results.attrs.get("rank_by")
    missing = [c for c in ("strategy", "error", *STAT_COLUMNS) if c not in results.columns]
    if reference is None or metric is None or missing:
        raise ValueError(
            "recommend needs the results of compare with a reference (the "
            "statistics columns and attrs['reference']); run compare with "
            "reference=<a strategy name>"
            + (f" (missing columns: {missing})." if missing else ".")
        )
    if f"{metric}_mean" not in results.columns:
        raise ValueError(f"results have no column {metric}_mean for attrs['rank_by'].")
    return reference, metric


def _without_reference(names, means, ok, reference, metric):
    """The recommendation when the reference failed: the best mean, not reliable."""
    label = _METRIC_LABELS.get(metric, metric)
    why = "is missing" if reference not in names else "failed"
    if not ok.any():
        strategy, score = reference, np.nan
        message = f"Every strategy failed, the reference {reference} included."
    else:
        best = int(np.argmax(np.where(ok, means, -np.inf)))
        strategy, score = names[best], float(means[best])
        message = (
            f"The reference {reference} {why}, so no strategy can be shown reliably "
            f"better; the best mean is {strategy} ({label} {score:.3f})."
        )
    return Recommendation(
        strategy=strategy,
        reference=reference,
        reliable=False,
        equivalent=(),
        metric=metric,
        score=score,
        reference_score=np.nan,
        diff=np.nan,
        p_better=np.nan,
        message=message,
    )


def _given_order(results):
    """Strategy names in the order they were compared (from attrs['fold_scores'])."""
    fold_scores = results.attrs.get("fold_scores")
    if isinstance(fold_scores, dict) and "strategy" in fold_scores:
        return list(dict.fromkeys(fold_scores["strategy"]))
    return results["strategy"].tolist()


def _simplest_first(names, order=None):
    """``names`` sorted simplest first, ties in ``order`` (default: as given).

    Families, simplest first: ``plain``, ``weight:*``, ``sampler:*``,
    ``router``, ``focal``, ``tuned:*``, then every other name.

    Examples
    --------
    >>> _simplest_first(["focal", "mine", "sampler:smote", "plain", "weight:inverse"])
    ['plain', 'weight:inverse', 'sampler:smote', 'focal', 'mine']
    """
    names = list(names)
    order = {name: i for i, name in enumerate(order if order is not None else names)}

    def family(name):
        for rank, prefix in enumerate(_SIMPLICITY):
            if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
                return rank
        return len(_SIMPLICITY)

    return sorted(names, key=lambda name: (family(name), order.get(name, len(order))))


class _PairedComparison(NamedTuple):
    """Summary of the paired differences of two models on the same folds."""

    diff_mean: float
    diff_low: float
    diff_high: float
    p_better: float
    p_equivalent: float
    p_worse: float


def _correlated_t_test(differences, test_train_ratio, *, rope=0.0, confidence=0.95):
    """Correlated t-test of paired cross-validation differences, both forms.

    Parameters
    ----------
    differences : array-like of shape (n_folds,)
        Score of the model minus score of the reference on each of the J
        folds of a (repeated) cross-validation, the same folds for both.
    test_train_ratio : float
        Test rows over training rows of a fold (``1 / (K - 1)`` for K-fold).
    rope : float, default=0.0
        Half-width of the region of practical equivalence: differences within
        ``[-rope, rope]`` count as no difference.
    confidence : float, default=0.95
        Level of the interval of the mean difference.

    Returns
    -------
    comparison : _PairedComparison
        ``diff_mean``; ``diff_low``, ``diff_high``, the interval of the mean
        difference; ``p_better``, ``p_equivalent``, ``p_worse``, the
        posterior probabilities that the difference is above ``rope``,
        within ``[-rope, rope]`` and below ``-rope``. All but ``diff_mean``
        are NaN for fewer than two folds (no variance to estimate).

    Notes
    -----
    The training sets of cross-validation folds overlap, so fold scores are
    correlated and the naive variance of their mean, ``s² / J``, is too
    small. Nadeau & Bengio (2003) correct it to

        σ̂² = (1 / J + n_test / n_train) · s²,

    with ``s²`` the sample variance (``ddof=1``) of the J differences, and
    compare ``mean / σ̂`` with a Student distribution of J − 1 degrees of
    freedom; the interval is ``mean ± t_{J−1} · σ̂``. Benavoli et al. (2017)
    show that, with a matching prior, the posterior of the mean difference
    is that same Student distribution (J − 1 degrees of freedom, location
    ``mean``, scale ``σ̂``), whose mass above ``rope``, within ``±rope`` and
    below ``-rope`` gives the three probabilities; ``baycomp.two_on_single``
    implements it for K-fold (n_test / n_train = 1 / (K − 1)). With zero
    variance (identical models, or constant differences) the posterior is a
    point mass at the mean: each probability is 0 or 1 and the interval is
    the mean.

    References
    ----------
    C. Nadeau and Y. Bengio, "Inference for the generalization error",
    Machine Learning 52(3), 2003, 239-281.

    A. Benavoli, G. Corani, J. Demšar and M. Zaffalon, "Time for a change: a
    tutorial for comparing multiple classifiers through Bayesian analysis",
    Journal of Machine Learning Research 18(77), 2017, 1-36.

    Examples
    --------
    >>> result = _correlated_t_test([0.02, 0.03, 0.01, 0.04, 0.02], 0.25, rope=0.01)
    >>> round(result.diff_mean, 3), round(result.p_better, 3)
    (0.024, 0.929)
    """
    differences = np.asarray(differences, dtype=np.float64)
    n_folds = differences.shape[0]
    mean = float(np.mean(differences)) if n_folds else np.nan
    if n_folds < 2 or not np.isfinite(differences).all():
        return _PairedComparison(mean, np.nan, np.nan, np.nan, np.nan, np.nan)
    scale = np.sqrt((1 / n_folds + test_train_ratio) * np.var(differences, ddof=1))
    # a spread at rounding-error level is no spread: identical models differ
    # by 0 on every fold, but their mean may carry float noise
    if scale <= 1e-12 * max(1.0, abs(mean)):
        low = high = mean
        p_better, p_worse = float(mean > rope), float(mean < -rope)
    else:
        # the Student CDF (scipy.stats.t's, without building a distribution
        # object, which costs more than the rest of compare's statistics)
        dof = n_folds - 1
        half_width = stdtrit(dof, 0.5 + confidence / 2) * scale
        low, high = mean - half_width, mean + half_width
        p_better = float(stdtr(dof, (mean - rope) / scale))
        p_worse = float(stdtr(dof, (-rope - mean) / scale))
    p_equivalent = max(0.0, 1.0 - p_better - p_worse)
    return _PairedComparison(mean, float(low), float(high), p_better, p_equivalent, p_worse)


def _test_train_ratio(folds):
    """Mean test size over mean training size of ``(train, test)`` folds."""
    n_train = np.mean([len(train) for train, _ in folds])
    n_test = np.mean([len(test) for _, test in folds])
    return float(n_test / n_train)


def _paired_statistics(fold_scores, reference, metric, rope, test_train_ratio):
    """The statistics columns of compare: each strategy paired with the reference.

    Parameters
    ----------
    fold_scores : pandas.DataFrame
        One row per (strategy, repeat, fold) with columns ``strategy``,
        ``repeat``, ``fold``, ``metric`` and ``error``.
    reference : str
        Name of the reference strategy (a value of ``fold_scores.strategy``).
    metric : str
        The column compared.
    rope : float
        Half-width of the region of practical equivalence.
    test_train_ratio : float
        See :func:`_test_train_ratio`.

    Returns
    -------
    statistics : pandas.DataFrame
        Indexed by strategy, the columns of :data:`STAT_COLUMNS`; NaN for the
        reference itself and for strategies (or a reference) that failed on
        some fold.
    """
    names = fold_scores["strategy"].to_numpy()
    scores = fold_scores[metric].to_numpy(dtype=np.float64)
    splits = list(zip(fold_scores["repeat"].tolist(), fold_scores["fold"].tolist()))
    failed = set(names[fold_scores["error"].notna().to_numpy()].tolist())
    base = {split: score for split, score, name in zip(splits, scores, names) if name == reference}
    undefined = _PairedComparison(*[np.nan] * len(STAT_COLUMNS))
    rows = {}
    for name in dict.fromkeys(names.tolist()):
        if name == reference or name in failed or reference in failed or not base:
            rows[name] = undefined
            continue
        mine = np.flatnonzero(names == name)
        reference_scores = np.array([base.get(splits[i], np.nan) for i in mine])
        rows[name] = _correlated_t_test(scores[mine] - reference_scores, test_train_ratio, rope=rope)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(STAT_COLUMNS))
