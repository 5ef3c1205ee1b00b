"""Tests of the paired statistics and the recommendation rule (skbalance._stats)."""

import warnings
from dataclasses import FrozenInstanceError

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.utils._param_validation import InvalidParameterError

from skbalance._stats import (
    STAT_COLUMNS,
    Recommendation,
    _correlated_t_test,
    _paired_statistics,
    _probability,
    _simplest_first,
    _test_train_ratio,
    recommend,
)


@pytest.mark.parametrize(
    "n_splits, n_repeats, shift, spread, rope",
    [(5, 1, 0.01, 0.02, 0.01), (5, 2, 0.03, 0.02, 0.01), (3, 4, -0.02, 0.05, 0.0),
     (10, 3, 0.0, 0.01, 0.02)],
)
def test_bayesian_form_matches_baycomp(n_splits, n_repeats, shift, spread, rope):
    """Check that the posterior probabilities are baycomp.two_on_single's."""
    baycomp = pytest.importorskip("baycomp")
    rng = np.random.default_rng(n_splits * n_repeats)
    reference = rng.uniform(0.6, 0.9, n_splits * n_repeats)
    model = reference + shift + rng.normal(0, spread, reference.shape)
    expected = baycomp.two_on_single(reference, model, rope=rope, runs=n_repeats)
    result = _correlated_t_test(model - reference, 1 / (n_splits - 1), rope=rope)
    if rope == 0:
        np.testing.assert_allclose([result.p_worse, result.p_better], expected, atol=1e-12)
        assert result.p_equivalent == pytest.approx(0, abs=1e-12)
    else:
        np.testing.assert_allclose(
            [result.p_worse, result.p_equivalent, result.p_better], expected, atol=1e-12
        )
    assert result.diff_mean == pytest.approx(np.mean(model - reference))


def test_interval_without_correction_is_the_one_sample_t_interval():
    """Check that with no train/test correction the interval is scipy's t interval."""
    rng = np.random.default_rng(0)
    differences = rng.normal(0.02, 0.03, 8)
    result = _correlated_t_test(differences, 0.0)
    expected = stats.ttest_1samp(differences, 0.0).confidence_interval(0.95)
    assert (result.diff_low, result.diff_high) == pytest.approx(
        (expected.low, expected.high), rel=1e-10
    )


def test_interval_is_wider_by_the_nadeau_bengio_factor():
    """Check that the correction widens the interval by sqrt(1 + J n_test/n_train)."""
    differences = np.array([0.01, 0.03, -0.02, 0.04, 0.0, 0.02])
    naive = _correlated_t_test(differences, 0.0)
    corrected = _correlated_t_test(differences, 0.25)
    ratio = (corrected.diff_high - corrected.diff_low) / (naive.diff_high - naive.diff_low)
    assert ratio == pytest.approx(np.sqrt(1 + 6 * 0.25))
    assert corrected.diff_mean == naive.diff_mean


def test_interval_bounds_are_posterior_quantiles():
    """Check that the 95 % interval holds 2.5 % of the posterior on each side."""
    differences = np.array([0.05, 0.01, 0.03, 0.02, 0.06, 0.0, 0.04, 0.03, 0.02, 0.05])
    result = _correlated_t_test(differences, 0.25)
    below_low = _correlated_t_test(differences - result.diff_low, 0.25).p_worse
    above_high = _correlated_t_test(differences - result.diff_high, 0.25).p_better
    assert below_low == pytest.approx(0.025)
    assert above_high == pytest.approx(0.025)


@pytest.mark.parametrize(
    "differences, rope, expected",
    [
        (np.zeros(10), 0.01, (0.0, 1.0, 0.0)),
        (np.zeros(10), 0.0, (0.0, 1.0, 0.0)),
        (np.full(6, 0.005), 0.01, (0.0, 1.0, 0.0)),
        (np.full(6, 0.05), 0.01, (1.0, 0.0, 0.0)),
        (np.full(6, -0.05), 0.01, (0.0, 0.0, 1.0)),
        # float noise of identical scores is no spread
        (np.array([0.1 + 0.2, 0.3, 0.3, 0.1 + 0.2, 0.3]) - 0.3, 0.01, (0.0, 1.0, 0.0)),
    ],
)
def test_zero_variance_is_a_point_mass(differences, rope, expected):
    """Check that identical or constantly shifted models give 0/1 probabilities, no NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = _correlated_t_test(differences, 0.25, rope=rope)
    assert (result.p_better, result.p_equivalent, result.p_worse) == expected
    mean = float(np.mean(differences))
    assert result.diff_low == result.diff_high == pytest.approx(mean)


@pytest.mark.parametrize("differences", [[], [0.1], [0.1, np.nan, 0.2]])
def test_undefined_statistics_are_nan(differences):
    """Check that fewer than two folds, or a missing score, give NaN, not an error."""
    result = _correlated_t_test(differences, 0.25, rope=0.01)
    assert np.isnan([result.diff_low, result.p_better, result.p_equivalent]).all()


def test_test_train_ratio_of_repeated_k_fold():
    """Check the test/train size ratio of 5-fold cross-validation."""
    y = np.repeat([0, 1], [60, 40])
    folds = list(RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0).split(y, y))
    assert _test_train_ratio(folds) == pytest.approx(0.25)


def test_simplest_first():
    """Check the family order and that ties keep the given order."""
    names = ["tuned:x", "mine", "focal", "sampler:smote", "router", "weight:inverse",
             "plain", "weight:balanced", "other"]
    order = ["plain", "weight:balanced", "weight:inverse", "mine", "other"]
    assert _simplest_first(names, order) == [
        "plain", "weight:balanced", "weight:inverse", "sampler:smote", "router",
        "focal", "tuned:x", "mine", "other",
    ]
    # "plainer" or "focally" are not the families' names
    assert _simplest_first(["plainer", "focal", "plain"]) == ["plain", "focal", "plainer"]


def _fold_scores(scores, errors=(), n_repeats=2):
    """A per-fold table from {name: scores} (repeat-major), as compare builds it."""
    records = []
    for name, values in scores.items():
        n_splits = len(values) // n_repeats
        for i, value in enumerate(values):
            failed = name in errors and i == 1
            records.append(
                {"strategy": name, "repeat": i // n_splits, "fold": i % n_splits,
                 "f1_macro": np.nan if failed else value,
                 "error": "ValueError: boom" if failed else None}
            )
    return pd.DataFrame.from_records(records)


def _results(scores, reference="plain", errors=(), rope=0.01, ratio=0.25):
    """compare-like results from per-fold scores, with the statistics columns."""
    fold_scores = _fold_scores(scores, errors)
    statistics = _paired_statistics(fold_scores, reference, "f1_macro", rope, ratio)
    rows = []
    for name, group in fold_scores.groupby("strategy", sort=False):
        error = group["error"].dropna()
        rows.append({"strategy": name,
                     "f1_macro_mean": np.nan if len(error) else group["f1_macro"].mean(),
                     "error": error.iloc[0] if len(error) else None})
    results = pd.DataFrame(rows).join(statistics, on="strategy")
    results = results.sort_values("f1_macro_mean", ascending=False).reset_index(drop=True)
    results.attrs.update(reference=reference, rank_by="f1_macro", rope=rope,
                         fold_scores=fold_scores.to_dict(orient="list"))
    return results


_BASE = np.array([0.80, 0.82, 0.78, 0.81, 0.79, 0.83, 0.80, 0.77, 0.82, 0.81])
_NOISE = np.array([0.01, -0.02, 0.015, -0.01, 0.0, 0.02, -0.015, 0.01, -0.005, 0.0])


def test_paired_statistics_pairs_the_same_folds():
    """Check that differences are taken fold by fold, whatever the row order."""
    fold_scores = _fold_scores({"plain": _BASE, "a": _BASE + 0.05})
    shuffled = fold_scores.sample(frac=1.0, random_state=0)
    statistics = _paired_statistics(shuffled, "plain", "f1_macro", 0.01, 0.25)
    assert list(statistics.columns) == list(STAT_COLUMNS)
    # a constant shift paired on the same folds has no spread at all
    assert statistics.loc["a", "diff_mean"] == pytest.approx(0.05)
    assert statistics.loc["a", "diff_low"] == pytest.approx(0.05)
    assert statistics.loc["a", "p_better"] == 1.0
    assert statistics.loc["plain"].isna().all()


def test_paired_statistics_nan_for_failures():
    """Check that a failed strategy, or a failed reference, gets NaN statistics."""
    scores = {"plain": _BASE, "a": _BASE + 0.05, "b": _BASE + _NOISE}
    statistics = _paired_statistics(
        _fold_scores(scores, errors=("a",)), "plain", "f1_macro", 0.01, 0.25
    )
    assert statistics.loc["a"].isna().all()
    assert statistics.loc["b"].notna().all()
    statistics = _paired_statistics(
        _fold_scores(scores, errors=("plain",)), "plain", "f1_macro", 0.01, 0.25
    )
    assert statistics.isna().all().all()


def test_recommend_reliable_winner():
    """Check that the best strategy reliably better than the reference wins."""
    results = _results({
        "plain": _BASE,
        "weight:balanced": _BASE + 0.03 + _NOISE / 4,
        "sampler:smote": _BASE + 0.05 + _NOISE / 4,
        # highest mean, but too noisy to be reliably better
        "lucky": _BASE + 0.06 + 6 * _NOISE[::-1],
    })
    advice = recommend(results)
    assert isinstance(advice, Recommendation)
    assert advice.strategy == "sampler:smote"
    assert advice.reliable
    assert advice.reference == "plain" and advice.metric == "f1_macro"
    assert advice.score == pytest.approx(_BASE.mean() + 0.05 + _NOISE.mean() / 4)
    assert advice.reference_score == pytest.approx(_BASE.mean())
    assert advice.diff == pytest.approx(advice.score - advice.reference_score)
    assert advice.p_better >= 0.9
    assert advice.message.startswith("sampler:smote is reliably better than plain (macro-F1 +0.05")
    assert "95% interval +0.0" in advice.message and "P(better)>0.99)" in advice.message
    assert results.set_index("strategy").at["lucky", "p_better"] < 0.9


def test_probability_never_rounds_to_certainty():
    """Check that a probability short of 1 is never printed as 1.00."""
    assert [_probability(p) for p in (0.9, 0.994, 0.995, 0.9999, 1.0)] == [
        "=0.90", "=0.99", ">0.99", ">0.99", "=1.00",
    ]


def test_recommend_keeps_the_reference_when_nothing_is_reliably_better():
    """Check the plain answer and the practically equivalent group, simplest first."""
    results = _results({
        "mine": _BASE + _NOISE / 2,
        "focal": _BASE + 0.002 + _NOISE / 3,
        "plain": _BASE,
        "weight:inverse": _BASE - 0.001 + _NOISE / 3,
        "weight:balanced": _BASE + 0.004 + _NOISE / 2,
        "worse": _BASE - 0.08 + _NOISE / 2,
    })
    advice = recommend(results)
    assert advice.strategy == "plain" and not advice.reliable
    assert advice.equivalent == ("plain", "weight:inverse", "weight:balanced", "focal", "mine")
    assert advice.diff == 0.0 and np.isnan(advice.p_better)
    assert advice.score == advice.reference_score == pytest.approx(_BASE.mean())
    assert advice.message == (
        "No strategy is reliably better than plain on this data; practically "
        "equivalent: plain, weight:inverse, weight:balanced, focal, mine."
    )


def test_recommend_threshold():
    """Check that a stricter threshold keeps the reference."""
    results = _results({"plain": _BASE, "a": _BASE + 0.025 + _NOISE})
    p_better = results.set_index("strategy").at["a", "p_better"]
    assert 0.5 < p_better < 0.99
    assert recommend(results, threshold=p_better).strategy == "a"
    assert recommend(results, threshold=min(1.0, p_better + 0.01)).strategy == "plain"


def test_recommend_other_reference_and_failures():
    """Check a non-default reference and that failed strategies are never chosen."""
    scores = {"plain": _BASE, "weight:balanced": _BASE + 0.02, "broken": _BASE + 0.2}
    advice = recommend(_results(scores, reference="weight:balanced", errors=("broken",)))
    assert advice.strategy == "weight:balanced" and advice.reference == "weight:balanced"
    assert advice.equivalent == ("weight:balanced",)
    assert "broken" not in advice.message


def test_recommend_when_the_reference_failed():
    """Check that a failed reference gives the best mean, flagged as not reliable."""
    scores = {"plain": _BASE, "a": _BASE + 0.02, "b": _BASE + 0.01}
    advice = recommend(_results(scores, errors=("plain",)))
    assert advice.strategy == "a" and not advice.reliable
    assert np.isnan(advice.reference_score)
    assert advice.message.startswith("The reference plain failed")
    advice = recommend(_results(scores, errors=("plain", "a", "b")))
    assert advice.strategy == "plain" and np.isnan(advice.score)
    assert advice.message == "Every strategy failed, the reference plain included."


def test_recommendation_is_frozen_and_converts_to_a_dict():
    """Check that the dataclass is immutable and its dict is plain."""
    advice = recommend(_results({"plain": _BASE, "a": _BASE + 0.05}))
    with pytest.raises(FrozenInstanceError):
        advice.strategy = "other"
    fields = advice.to_dict()
    assert fields["strategy"] == "a" and fields["equivalent"] == ["plain"]
    assert set(fields) == {
        "strategy", "reference", "reliable", "equivalent", "metric", "score",
        "reference_score", "diff", "p_better", "message",
    }


def test_recommend_bad_input():
    """Check the errors for results without statistics and a bad threshold."""
    results = _results({"plain": _BASE, "a": _BASE + 0.05})
    with pytest.raises(ValueError, match="run compare with reference="):
        recommend(results.drop(columns=["p_better"]))
    no_reference = results.copy()
    no_reference.attrs["reference"] = None
    with pytest.raises(ValueError, match="needs the results of compare with a reference"):
        recommend(no_reference)
    with pytest.raises(InvalidParameterError, match="threshold"):
        recommend(results, threshold=1.5)
    with pytest.raises(InvalidParameterError, match="results"):
        recommend(results.to_dict())
