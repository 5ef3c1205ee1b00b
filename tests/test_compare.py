"""Tests of skbalance.compare."""

import warnings

import numpy as np
import pandas as pd
import pytest
from _doubles import FailingClassifier
from imblearn.metrics import geometric_mean_score
from joblib import parallel_config
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skbalance._evaluation import _evaluate, _make_folds, _summarise
from skbalance._stats import STAT_COLUMNS
from skbalance.compare import METRICS, Recommendation, compare, default_strategies, recommend
from skbalance.weights import SCHEMES


_SEEN = []


def _always_fails():
    return FailingClassifier(ValueError, "this strategy always fails")


class _Recorder(ClassifierMixin, BaseEstimator):
    """Predict the majority class; log the row ids (column 0) it sees."""

    def __init__(self, tag="recorder", fail_on_fold=None):
        self.tag = tag
        self.fail_on_fold = fail_on_fold

    def fit(self, X, y, sample_weight=None):
        ids = np.asarray(X)[:, 0].astype(int)
        _SEEN.append(("fit", self.tag, frozenset(ids.tolist()), sample_weight))
        if self.fail_on_fold is not None and self.fail_on_fold(ids):
            raise RuntimeError(f"{self.tag} refuses these rows")
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        ids = np.asarray(X)[:, 0].astype(int)
        _SEEN.append(("predict", self.tag, frozenset(ids.tolist()), None))
        return np.full(len(ids), self.majority_)


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=150,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.6, 0.3, 0.1],
        random_state=0,
    )
    return X, y


@pytest.fixture
def id_data(data):
    """The same data with the row index as first feature."""
    X, y = data
    return np.column_stack([np.arange(len(y)), X]), y


def _lr(**params):
    return LogisticRegression(max_iter=500, **params)


def test_compare_returns_ranked_table(data):
    """Check that compare returns one ranked row per strategy with the documented columns."""
    X, y = data
    strategies = {
        "dummy": DummyClassifier(),
        "lr": _lr(),
        "lr_balanced": _lr(class_weight="balanced"),
    }
    results = compare(X, y, strategies=strategies, cv=3, random_state=0, reference="lr")
    expected = ["strategy"]
    for metric in METRICS:
        expected += [f"{metric}_mean", f"{metric}_std"]
    expected += ["fit_time_mean", "recall_0", "recall_1", "recall_2", *STAT_COLUMNS]
    expected += ["error", "aliases"]
    assert results.columns.tolist() == expected
    assert results.shape == (3, len(expected))
    assert set(results["strategy"]) == set(strategies)
    assert results["f1_macro_mean"].is_monotonic_decreasing
    assert results["strategy"].iloc[-1] == "dummy"
    assert results.attrs["best_strategy"] == results["strategy"].iloc[0]
    assert results["error"].tolist() == [None, None, None]
    assert results.attrs["classes"] == [0, 1, 2]
    assert results.attrs["class_counts"] == np.bincount(y).tolist()
    assert results.attrs["n_splits"] == 3
    fold_scores = pd.DataFrame(results.attrs["fold_scores"])
    assert len(fold_scores) == 9
    assert {"strategy", "repeat", "fold", "fit_time", "score_time", "error"} <= set(fold_scores)


def test_compare_uses_the_same_folds_for_every_strategy(id_data):
    """Check that every strategy is fitted and scored on exactly the same rows."""
    X, y = id_data
    _SEEN.clear()
    strategies = {"a": _Recorder("a"), "b": _Recorder("b")}
    compare(X, y, strategies=strategies, cv=4, random_state=3, n_jobs=1, reference=None)
    folds = _make_folds(X, y, 4, 3)
    expected_train = {frozenset(train.tolist()) for train, _ in folds}
    expected_test = {frozenset(test.tolist()) for _, test in folds}
    for tag in "ab":
        trained = [rows for kind, t, rows, _ in _SEEN if kind == "fit" and t == tag]
        tested = [rows for kind, t, rows, _ in _SEEN if kind == "predict" and t == tag]
        assert set(trained) == expected_train and len(trained) == 4
        assert set(tested) == expected_test and len(tested) == 4


def test_make_folds_accepts_ints_splitters_and_iterables(data):
    """Check that cv may be an int, a splitter or an iterable of index pairs."""
    X, y = data
    shuffled = _make_folds(X, y, 3, 0)
    assert len(shuffled) == 3
    assert [t.tolist() for _, t in shuffled] == [t.tolist() for _, t in _make_folds(X, y, 3, 0)]
    assert [t.tolist() for _, t in shuffled] != [t.tolist() for _, t in _make_folds(X, y, 3, 1)]
    for train, test in shuffled:
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == len(y)
    kfold = _make_folds(X, y, KFold(2), None)
    assert kfold[0][1].tolist() == list(range(75))
    mask = np.arange(len(y)) < 100
    custom = _make_folds(X, y, [(mask, ~mask)], None)
    assert custom[0][0].tolist() == list(range(100))
    results = compare(
        X, y, strategies={"lr": _lr()}, cv=[(np.arange(100), np.arange(100, 150))], reference="lr"
    )
    assert results.attrs["n_splits"] == 1


def test_compare_reports_failing_strategies(id_data):
    """Check that a strategy failing on any fold gets NaN scores and its error, ranked last."""
    X, y = id_data
    strategies = {
        "fails": _always_fails(),
        "fails_once": _Recorder("once", fail_on_fold=lambda ids: 0 in ids),
        "lr": _lr(),
    }
    results = compare(X, y, strategies=strategies, cv=3, random_state=0, reference="lr")
    assert results["strategy"].tolist()[0] == "lr"
    assert results.attrs["best_strategy"] == "lr"
    failed = results.set_index("strategy").loc[["fails", "fails_once"]]
    assert failed["error"].tolist() == [
        "ValueError: this strategy always fails",
        "RuntimeError: once refuses these rows",
    ]
    assert failed.drop(columns=["error", "aliases"]).isna().all().all()
    fold_scores = pd.DataFrame(results.attrs["fold_scores"])
    once = fold_scores[fold_scores["strategy"] == "fails_once"]
    assert once["error"].notna().sum() == 2
    assert once["f1_macro"].notna().sum() == 1

    all_fail = compare(
        X, y, strategies={"a": _always_fails(), "b": _always_fails()}, cv=2, reference="a"
    )
    assert all_fail.attrs["best_strategy"] is None
    assert all_fail["error"].notna().all()


def test_compare_is_reproducible_with_default_strategies(data):
    """Check that the default strategies give the same scores for the same random_state."""
    X, y = data
    first = compare(X, y, cv=2, random_state=0, scoring="f1_macro")
    second = compare(X, y, cv=2, random_state=0, scoring="f1_macro")
    expected = (
        ["plain"]
        + [f"weight:{s}" for s in SCHEMES if s != "none"]
        + ["sampler:random_over", "sampler:random_under", "sampler:smote", "router"]
        + ["tuned:prior_power", "focal"]
    )
    shown = set(first["strategy"])
    aliases = {name for names in first["aliases"] for name in names.split(", ") if name}
    assert shown | aliases == set(expected) and not shown & aliases
    assert "weight:inverse" in aliases  # the same model as weight:balanced
    assert first["error"].isna().all(), first["error"].dropna().tolist()
    pd.testing.assert_frame_equal(
        first.drop(columns="fit_time_mean"), second.drop(columns="fit_time_mean")
    )


def test_default_strategies_follow_the_estimator():
    """Check that the defaults wrap the estimator, seed it and add focal only for linear models."""
    from skbalance.classifier import BalancedClassifier
    from skbalance.focal import FocalLossClassifier
    from skbalance.router import SmallClassRouter

    default = default_strategies(None, 0)
    assert "focal" in default
    assert isinstance(default["plain"], Pipeline)
    assert isinstance(default["plain"][-1], LogisticRegression)
    assert isinstance(default["weight:balanced"][-1], BalancedClassifier)
    assert isinstance(default["router"][-1], SmallClassRouter)
    assert isinstance(default["focal"][-1], FocalLossClassifier)
    assert isinstance(default["focal"][0], StandardScaler)
    assert default["sampler:smote"][-1].weighting is None

    forest = default_strategies(RandomForestClassifier(n_estimators=5), 7)
    assert "focal" not in forest
    for name, estimator in forest.items():
        seeds = {
            value
            for key, value in estimator.get_params(deep=True).items()
            if key.endswith("random_state")
        }
        assert seeds == {7}, name

    knn = default_strategies(make_pipeline(StandardScaler(), KNeighborsClassifier()), None)
    assert "focal" not in knn
    assert isinstance(knn["weight:inverse"][0], StandardScaler)
    assert isinstance(knn["weight:inverse"][-1].estimator, KNeighborsClassifier)

    bare = default_strategies(_lr(C=0.5), None)
    assert isinstance(bare["weight:balanced"], BalancedClassifier)
    assert bare["focal"][-1].C == 0.5


def test_compare_warns_about_classes_smaller_than_the_folds(data):
    """Check that a class with fewer samples than folds is named in a warning, not a crash."""
    X, y = data
    y = y.copy()
    y[:2] = 3
    with pytest.warns(UserWarning, match=r"classes 3 \(2 samples\) are missing"):
        results = compare(X, y, strategies={"lr": _lr()}, cv=4, random_state=0, reference=None)
    assert results["error"].tolist() == [None]
    assert 0 <= results["f1_macro_mean"].iloc[0] <= 1
    assert "recall_3" in results.columns


def test_compare_scores_match_scikit_learn_metrics(data):
    """Check that the fold scores equal scikit-learn's and imbalanced-learn's metrics."""
    X, y = data
    train, test = np.arange(100), np.arange(100, 150)
    results = compare(X, y, strategies={"lr": _lr()}, cv=[(train, test)], reference=None)
    y_pred = _lr().fit(X[train], y[train]).predict(X[test])
    row = results.iloc[0]
    assert row["f1_macro_mean"] == pytest.approx(f1_score(y[test], y_pred, average="macro"))
    assert row["balanced_accuracy_mean"] == pytest.approx(
        balanced_accuracy_score(y[test], y_pred)
    )
    assert row["gmean_mean"] == pytest.approx(geometric_mean_score(y[test], y_pred))
    recall = recall_score(y[test], y_pred, average=None)
    assert row[["recall_0", "recall_1", "recall_2"]].tolist() == pytest.approx(recall)


def test_compare_scoring_subset(data):
    """Check that scoring selects the metric columns and the ranking metric."""
    X, y = data
    strategies = {"dummy": DummyClassifier(), "lr": _lr()}
    results = compare(
        X, y, strategies=strategies, cv=2, scoring=("gmean", "balanced_accuracy"), reference="lr"
    )
    assert "f1_macro_mean" not in results
    assert results.columns[1:5].tolist() == [
        "balanced_accuracy_mean",
        "balanced_accuracy_std",
        "gmean_mean",
        "gmean_std",
    ]
    assert results.attrs["rank_by"] == "balanced_accuracy"
    single = compare(X, y, strategies=strategies, cv=2, scoring="gmean", reference=None)
    assert single.attrs["rank_by"] == "gmean"
    assert single["gmean_mean"].is_monotonic_decreasing


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"scoring": ("accuracy",)}, ValueError, r"subset of \['f1_macro'"),
        ({"scoring": ()}, ValueError, "non-empty subset"),
        ({"scoring": "accuracy"}, InvalidParameterError, "scoring"),
        ({"strategies": {}}, ValueError, "strategies is empty"),
        ({"strategies": {"scaler": StandardScaler()}}, TypeError, "'scaler' must be"),
        ({"strategies": {1: _lr()}}, TypeError, "names must be strings"),
        ({"cv": "five"}, InvalidParameterError, "cv"),
        ({"cv": 1}, InvalidParameterError, "cv"),
        ({"n_jobs": "all"}, InvalidParameterError, "n_jobs"),
        ({"progress": 3}, InvalidParameterError, "progress"),
    ],
)
def test_compare_rejects_invalid_parameters(data, kwargs, error, match):
    """Check that invalid parameters raise errors that say what is wrong."""
    X, y = data
    kwargs = {"strategies": {"lr": _lr()}, "cv": 2, "reference": "lr", **kwargs}
    with pytest.raises(error, match=match):
        compare(X, y, **kwargs)


def test_compare_rejects_invalid_data(data):
    """Check that mismatched lengths and a single class are refused."""
    X, y = data
    with pytest.raises(ValueError, match="different numbers of rows"):
        compare(X[:-1], y, strategies={"lr": _lr()})
    with pytest.raises(ValueError, match="one class"):
        compare(X, np.zeros(len(y)), strategies={"lr": _lr()})


def test_compare_calls_progress_once_per_task(data):
    """Check that progress gets (n_done, n_total, record) once per (strategy, fold)."""
    X, y = data
    calls = []
    with parallel_config(backend="threading"):
        compare(
            X,
            y,
            strategies={"a": _lr(), "b": DummyClassifier()},
            cv=3,
            n_jobs=2,
            progress=lambda done, total, record: calls.append((done, total, record)),
            reference=None,
        )
    assert [done for done, _, _ in calls] == list(range(1, 7))
    assert {total for _, total, _ in calls} == {6}
    assert sorted((r["strategy"], r["fold"]) for _, _, r in calls) == [
        (s, f) for s in "ab" for f in range(3)
    ]


def test_compare_accepts_string_labels_and_dataframes(data):
    """Check that string labels and a DataFrame work, and recall columns are named by label."""
    X, y = data
    labels = np.array(["cat", "dog", "eel"])[y]
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    results = compare(frame, pd.Series(labels), strategies={"lr": _lr()}, cv=2, reference="lr")
    assert [c for c in results if c.startswith("recall_")] == [
        "recall_cat",
        "recall_dog",
        "recall_eel",
    ]


def test_evaluate_and_summarise_are_reusable(id_data):
    """Check the private helpers: sample_weight reaches fit, and results concatenate."""
    X, y = id_data
    folds = _make_folds(X, y, 2, 0)
    _SEEN.clear()
    weights = np.arange(len(y), dtype=float)
    strategies = {"bare": _Recorder("bare"), "pipe": make_pipeline(_Recorder("pipe"))}
    fold_scores = _evaluate(strategies, X, y, folds, ("f1_macro",), 1, sample_weight=weights)
    assert fold_scores["strategy"].tolist() == ["bare", "bare", "pipe", "pipe"]
    assert fold_scores["error"].isna().all()
    for kind, _, rows, sample_weight in _SEEN:
        if kind == "fit":
            np.testing.assert_array_equal(sample_weight, sorted(rows))
    results = _summarise(fold_scores, np.unique(y))
    assert results.columns.tolist()[:3] == ["strategy", "f1_macro_mean", "f1_macro_std"]
    both = pd.concat([results, results.copy()])
    assert len(both) == 4
    wider = _summarise(fold_scores, np.append(np.unique(y), 99))
    assert wider["recall_99"].isna().all()


def test_compare_on_a_dask_cluster(data):
    """Check that scheduler= runs the tasks on Dask with the same results as joblib."""
    distributed = pytest.importorskip("distributed", reason="needs the [distributed] extra")
    X, y = data
    strategies = {"plain": _lr(), "dummy": DummyClassifier()}
    local = compare(X, y, strategies=strategies, cv=2, random_state=0)
    calls = []
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        remote = compare(
            X,
            y,
            strategies=strategies,
            cv=2,
            random_state=0,
            scheduler=client,
            progress=lambda *args: calls.append(args),
        )
        by_address = compare(
            X, y, strategies=strategies, cv=2, random_state=0, scheduler=cluster.scheduler_address
        )
    assert len(calls) == 4
    for other in (remote, by_address):
        pd.testing.assert_frame_equal(
            local.drop(columns="fit_time_mean"), other.drop(columns="fit_time_mean")
        )


def test_default_strategies_that_are_one_model_are_fitted_once():
    """Check that compare fits identical default strategies once and names the aliases."""
    X, y = make_classification(n_samples=120, n_classes=2, weights=[0.5, 0.5], random_state=0)
    results = compare(X, y, cv=2, random_state=0, scoring="f1_macro")
    plain = results.set_index("strategy").loc["plain"]
    # balanced labels: every weighting is 1, so it is the plain model
    assert set(plain["aliases"].split(", ")) >= {"weight:balanced", "weight:inverse"}
    assert "weight:balanced" not in set(results["strategy"])


def test_router_without_rare_class_is_an_alias_of_balanced_weights(data):
    """Check that the router with no rare class is reported as weight:balanced's alias."""
    X, y = data
    counts = np.bincount(y)
    assert counts.min() >= 0.05 * counts.sum()  # no rare class under the default rule
    results = compare(X, y, cv=2, random_state=0, scoring="f1_macro")
    row = results.set_index("strategy").loc["weight:balanced"]
    assert "router" in row["aliases"].split(", ")


class _Warns(ClassifierMixin, BaseEstimator):
    """Predict the majority class; warn in fit, naming the training size."""

    def fit(self, X, y):
        warnings.warn(f"fitted on {len(y)} rows", UserWarning)
        warnings.warn("the same message every time", RuntimeWarning)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


def _caught(X, y, n_jobs, action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter(action)
        compare(X, y, strategies={"plain": _Warns(), "other": _Warns()}, cv=3, n_jobs=n_jobs,
                random_state=0, scoring="f1_macro")  # fmt: skip
    return [(w.category, str(w.message), w.lineno) for w in caught]


def test_compare_repeats_stratified_folds(id_data):
    """Check that n_repeats gives cv * n_repeats folds, each repeat a partition of the rows."""
    X, y = id_data
    _SEEN.clear()
    results, fold_scores = compare(
        X, y, strategies={"plain": _Recorder("a")}, cv=3, n_repeats=4, random_state=0,
        return_fold_scores=True,
    )  # fmt: skip
    assert results.attrs["n_splits"] == 3 and results.attrs["n_repeats"] == 4
    assert fold_scores[["repeat", "fold"]].values.tolist() == [
        [r, f] for r in range(4) for f in range(3)
    ]
    tested = [rows for kind, _, rows, _ in _SEEN if kind == "predict"]
    assert len(tested) == 12 and len(set(tested)) == 12
    for repeat in range(4):
        rows = sorted(i for part in tested[3 * repeat : 3 * repeat + 3] for i in part)
        assert rows == list(range(len(y)))
    # one repeat keeps the shuffled StratifiedKFold of earlier releases
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    expected = [test.tolist() for _, test in splitter.split(X, y)]
    assert [test.tolist() for _, test in _make_folds(X, y, 3, 0, n_repeats=1)] == expected


def test_compare_repeats_need_an_int_cv(data):
    """Check that n_repeats > 1 with an explicit splitter is refused, clearly."""
    X, y = data
    with pytest.raises(ValueError, match="n_repeats=2 repeats a K-fold split and needs an int"):
        compare(X, y, strategies={"plain": _lr()}, cv=KFold(3), n_repeats=2)
    with pytest.raises(InvalidParameterError, match="n_repeats"):
        compare(X, y, strategies={"plain": _lr()}, n_repeats=0)


def test_compare_statistics_match_baycomp(data):
    """Check the statistics columns against baycomp on the returned fold scores."""
    baycomp = pytest.importorskip("baycomp")
    X, y = data
    strategies = {"plain": _lr(C=0.01), "balanced": _lr(C=0.01, class_weight="balanced"),
                  "dummy": DummyClassifier()}  # fmt: skip
    results, fold_scores = compare(X, y, strategies=strategies, cv=3, n_repeats=3,
                                   random_state=0, rope=0.02, return_fold_scores=True)  # fmt: skip
    rows = results.set_index("strategy")
    assert rows.loc["plain", list(STAT_COLUMNS)].isna().all()
    scores = fold_scores.pivot(index=["repeat", "fold"], columns="strategy", values="f1_macro")
    for name in ("balanced", "dummy"):
        p_worse, p_equivalent, p_better = baycomp.two_on_single(
            scores["plain"].to_numpy(), scores[name].to_numpy(), rope=0.02, runs=3
        )
        row = rows.loc[name]
        assert row["diff_mean"] == pytest.approx((scores[name] - scores["plain"]).mean())
        assert [row["p_worse"], row["p_equivalent"], row["p_better"]] == pytest.approx(
            [p_worse, p_equivalent, p_better], abs=1e-9
        )
        assert row["diff_low"] < row["diff_mean"] < row["diff_high"]
    assert rows.loc["dummy", "p_worse"] > 0.99
    assert results.attrs["rope"] == 0.02 and results.attrs["reference"] == "plain"


def test_compare_same_model_under_two_names(data):
    """Check that identical models are practically equivalent: no NaN, no warning, no winner."""
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = compare(X, y, strategies={"plain": _lr(), "twin": _lr()}, cv=3, n_repeats=2,
                          random_state=0)  # fmt: skip
    twin = results.set_index("strategy").loc["twin"]
    assert (twin["diff_mean"], twin["diff_low"], twin["diff_high"]) == (0.0, 0.0, 0.0)
    assert (twin["p_better"], twin["p_equivalent"], twin["p_worse"]) == (0.0, 1.0, 0.0)
    advice = results.attrs["recommendation"]
    assert advice["strategy"] == "plain" and not advice["reliable"]
    assert advice["equivalent"] == ["plain", "twin"]
    assert advice["message"].startswith("No strategy is reliably better than plain")


def test_compare_recommendation_is_recommend(data):
    """Check that attrs["recommendation"] is recommend(results) as a dict."""
    X, y = data
    strategies = {"dummy": DummyClassifier(), "plain": DummyClassifier(), "lr": _lr()}
    results = compare(X, y, strategies=strategies, cv=3, n_repeats=2, random_state=0)
    advice = recommend(results)
    assert isinstance(advice, Recommendation)
    assert results.attrs["recommendation"] == advice.to_dict()
    assert advice.strategy == "lr" and advice.reliable
    assert advice.equivalent == ("plain", "dummy")


def test_compare_reference_choices(data):
    """Check reference=None (no statistics), an unknown name and an alias."""
    X, y = data
    strategies = {"a": _lr(), "b": DummyClassifier()}
    bare = compare(X, y, strategies=strategies, cv=2, reference=None)
    assert not set(STAT_COLUMNS) & set(bare.columns)
    assert bare.columns[-2:].tolist() == ["error", "aliases"]
    assert bare.attrs["reference"] is None and bare.attrs["recommendation"] is None
    with pytest.raises(ValueError, match=r"reference='plain' is not one of the strategies \['a', 'b'\]"):
        compare(X, y, strategies=strategies, cv=2)
    with pytest.raises(InvalidParameterError, match="rope"):
        compare(X, y, strategies=strategies, cv=2, reference="a", rope=-0.1)
    balanced = make_classification(n_samples=120, weights=[0.5, 0.5], random_state=0)
    results = compare(*balanced, cv=2, random_state=0, scoring="f1_macro",
                      reference="weight:balanced")  # fmt: skip
    # weight:balanced is the plain model on balanced labels, fitted under "plain"
    assert results.attrs["reference"] == "plain"


def test_compare_statistics_of_failures(id_data):
    """Check NaN statistics for a failed strategy, and a failed reference."""
    X, y = id_data
    strategies = {"plain": _lr(), "fails": _always_fails(), "dummy": DummyClassifier()}
    results = compare(X, y, strategies=strategies, cv=3, random_state=0)
    rows = results.set_index("strategy")
    assert rows.loc["fails", list(STAT_COLUMNS)].isna().all()
    assert rows.loc["dummy", list(STAT_COLUMNS)].notna().all()
    broken = compare(X, y, strategies=strategies, cv=3, random_state=0, reference="fails")
    assert broken[list(STAT_COLUMNS)].isna().all().all()
    advice = broken.attrs["recommendation"]
    assert advice["strategy"] == "plain" and not advice["reliable"]
    assert advice["message"].startswith("The reference fails failed")


def test_compare_returns_fold_scores(data):
    """Check return_fold_scores: a DataFrame one row per (strategy, repeat, fold)."""
    X, y = data
    strategies = {"plain": _lr(), "dummy": DummyClassifier()}
    results, fold_scores = compare(X, y, strategies=strategies, cv=2, n_repeats=2,
                                   random_state=0, return_fold_scores=True)  # fmt: skip
    assert isinstance(fold_scores, pd.DataFrame) and len(fold_scores) == 8
    assert fold_scores.columns.tolist() == [
        "strategy", "repeat", "fold", *METRICS, "recall_0", "recall_1", "recall_2",
        "fit_time", "score_time", "error",
    ]
    assert fold_scores["strategy"].tolist() == ["plain"] * 4 + ["dummy"] * 4
    pd.testing.assert_frame_equal(fold_scores, pd.DataFrame(results.attrs["fold_scores"]))
    alone = compare(X, y, strategies=strategies, cv=2, n_repeats=2, random_state=0)
    pd.testing.assert_frame_equal(
        alone.drop(columns="fit_time_mean"), results.drop(columns="fit_time_mean")
    )


def test_compare_passes_sample_weight(id_data):
    """Check that sample_weight reaches every fit for its training rows, and is checked."""
    X, y = id_data
    _SEEN.clear()
    weights = np.arange(len(y), dtype=float)
    strategies = {"plain": _Recorder("bare"), "pipe": make_pipeline(_Recorder("pipe"))}
    compare(X, y, strategies=strategies, cv=2, sample_weight=weights, random_state=0)
    fits = [(rows, sample_weight) for kind, _, rows, sample_weight in _SEEN if kind == "fit"]
    assert len(fits) == 4
    for rows, sample_weight in fits:
        np.testing.assert_array_equal(sample_weight, sorted(rows))
    with pytest.raises(ValueError, match="Negative values"):
        compare(X, y, strategies=strategies, cv=2, sample_weight=-weights)
    with pytest.raises(ValueError, match="sample_weight"):
        compare(X, y, strategies=strategies, cv=2, sample_weight=weights[:-1])


def test_compare_gmean_uses_the_correction(data):
    """Check that a class never predicted lowers the G-mean instead of zeroing it."""
    X, y = data
    train, test = np.arange(100), np.arange(100, 150)
    results = compare(X, y, strategies={"plain": DummyClassifier()}, cv=[(train, test)])
    y_pred = np.zeros(50, dtype=int)
    assert geometric_mean_score(y[test], y_pred) == 0
    expected = geometric_mean_score(y[test], y_pred, correction=0.001)
    assert results["gmean_mean"].iloc[0] == pytest.approx(expected)
    assert expected == pytest.approx(0.001 ** (2 / 3))


@pytest.mark.parametrize("action", ["always", "default"])
def test_worker_warnings_are_reemitted_as_in_one_process(data, action):
    """Check that warnings of worker processes reach the caller, grouped as with n_jobs=1."""
    X, y = data
    sequential = _caught(X, y, 1, action)
    parallel = _caught(X, y, 2, action)
    assert parallel == sequential
    messages = [message for _, message, _ in sequential]
    if action == "always":
        # in task order: strategy after strategy, fold after fold
        assert messages == ["fitted on 100 rows", "the same message every time"] * 6
    else:
        assert messages == ["fitted on 100 rows", "the same message every time"]


def test_default_strategies_without_sample_weight_support_are_adapted(data):
    """Check that KNN strategies get sample_weight by resampling, with one warning each."""
    X, y = data
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    weights = np.linspace(0.5, 2.0, len(y))
    with pytest.warns(UserWarning, match="'plain': KNeighborsClassifier does not accept") as record:
        results = compare(X, y, knn, cv=2, random_state=0, sample_weight=weights)
    assert results["error"].isna().all(), results["error"].dropna().tolist()
    adapted = [str(w.message) for w in record if "by resampling" in str(w.message)]
    assert len(adapted) == 1  # every other default strategy is a BalancedClassifier already


def test_default_strategies_unable_to_take_nan_are_left_out(data):
    """Check that SMOTE around a forest is left out, named, when X has NaN."""
    X, y = data
    X = X.copy()
    X[::7, 0] = np.nan
    forest = RandomForestClassifier(n_estimators=5, random_state=0)
    with pytest.warns(UserWarning, match="'sampler:smote' is left out: X has missing values, which SMOTE"):
        results = compare(X, y, forest, cv=2, random_state=0, scoring="f1_macro")
    assert "sampler:smote" not in set(results["strategy"])
    assert results["error"].isna().all(), results["error"].dropna().tolist()
