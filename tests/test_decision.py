"""Tests of the multiclass decision rules (CostSensitiveClassifier, TunedDecisionClassifierCV)."""

import numpy as np
import pandas as pd
import pytest
from _doubles import RecordingClassifier
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    BaggingClassifier,
    ExtraTreesClassifier,
    RandomForestClassifier,
)
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer, recall_score
from sklearn.model_selection import GridSearchCV, KFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skbalance import BalancedClassifier, CostSensitiveClassifier, TunedDecisionClassifierCV
from skbalance._tuning import TAU_GRID, _decide, _tune_decision
from skbalance.metrics import expected_cost, make_cost_scorer


@pytest.fixture(scope="module")
def data():
    """A three-class problem with a 4% class."""
    X, y = make_classification(
        n_samples=500,
        n_classes=3,
        n_informative=4,
        weights=[0.8, 0.16, 0.04],
        class_sep=0.8,
        random_state=0,
    )
    return X, y


# CostSensitiveClassifier


def test_cost_sensitive_is_the_bayes_decision(data):
    """Check that predict is argmin_j sum_i P(i|x) C[i, j]."""
    X, y = data
    cost = np.array([[0, 1, 2], [4, 0, 1], [30, 6, 0]], dtype=float)
    clf = CostSensitiveClassifier(LogisticRegression(), cost_matrix=cost).fit(X, y)
    proba = clf.estimator_.predict_proba(X)
    assert_array_equal(clf.predict(X), np.argmin(proba @ cost, axis=1))
    assert_allclose(clf.predict_proba(X), proba)
    assert_array_equal(clf.cost_matrix_, cost)


def test_cost_sensitive_lowers_the_expected_cost(data):
    """Check that the cost-sensitive rule costs less than argmax on held-out rows."""
    X, y = data
    cost = np.array([[0, 1, 1], [5, 0, 1], [40, 10, 0]], dtype=float)
    plain = cross_val_predict(LogisticRegression(), X, y)
    decided = cross_val_predict(CostSensitiveClassifier(cost_matrix=cost), X, y)
    assert expected_cost(y, decided, cost) < 0.8 * expected_cost(y, plain, cost)


def test_cost_sensitive_default_is_argmax(data):
    """Check that cost_matrix=None is the 0/1 cost: the inner argmax."""
    X, y = data
    clf = CostSensitiveClassifier().fit(X, y)
    assert_array_equal(clf.cost_matrix_, 1 - np.eye(3))
    assert_array_equal(clf.predict(X), clf.estimator_.predict(X))


def test_cost_sensitive_dict_with_string_labels(data):
    """Check that a dict cost matrix is aligned with classes_ by label."""
    X, y = data
    labels = np.array(["low", "mid", "high"])[y]
    cost = {
        "high": {"low": 30, "mid": 6},
        "low": {"mid": 1, "high": 2},
        "mid": {"low": 4, "high": 1},
    }
    clf = CostSensitiveClassifier(cost_matrix=cost).fit(X, labels)
    assert clf.classes_.tolist() == ["high", "low", "mid"]
    assert_array_equal(clf.cost_matrix_, [[0, 30, 6], [2, 0, 1], [1, 4, 0]])


@pytest.mark.parametrize(
    "cost, message",
    [
        ([[0, 1], [1, 0]], "one row and one column per class"),
        ([[0, 1, 1], [1, 0, 1]], "square"),
        ([[0, 1, np.nan], [1, 0, 1], [1, 1, 0]], "NaN"),
        ([[0, 1, -1], [1, 0, 1], [1, 1, 0]], "negative"),
        ({0: {1: 1, 2: 1}, 1: {0: 1, 2: 1}, 2: {0: 1}}, r"\(2, 1\)"),
        ({0: {1: 1, 2: 1, 7: 1}, 1: {0: 1, 2: 1}, 2: {0: 1, 1: 1}}, "not classes: \\['7'\\]"),
    ],
    ids=["shape", "not-square", "nan", "negative", "missing-pair", "unknown-label"],
)
def test_cost_sensitive_bad_matrices(data, cost, message):
    """Check that a bad cost matrix is a ValueError naming the problem."""
    X, y = data
    with pytest.raises(ValueError, match=message):
        CostSensitiveClassifier(cost_matrix=cost).fit(X, y)


def test_cost_sensitive_with_a_frozen_prefit_estimator(data):
    """Check that a FrozenEstimator is used as it is, not refitted."""
    X, y = data
    prefit = LogisticRegression().fit(X[:300], y[:300])
    coef = prefit.coef_.copy()
    cost = [[0, 1, 1], [5, 0, 1], [40, 10, 0]]
    clf = CostSensitiveClassifier(FrozenEstimator(prefit), cost_matrix=cost).fit(X[300:], y[300:])
    assert_array_equal(prefit.coef_, coef)
    expected = np.argmin(prefit.predict_proba(X) @ np.asarray(cost, dtype=float), axis=1)
    assert_array_equal(clf.predict(X), expected)


def test_estimator_without_predict_proba_is_refused(data):
    """Check that a classifier without predict_proba is a clear ValueError at fit."""
    X, y = data
    for meta in (CostSensitiveClassifier, TunedDecisionClassifierCV):
        with pytest.raises(ValueError, match="has no predict_proba"):
            meta(make_pipeline(StandardScaler(), LinearSVC())).fit(X, y)


def test_cost_sensitive_in_grid_search_with_cost_scorer(data):
    """Check that a cost scorer picks the cost matrix of least held-out cost."""
    X, y = data
    cost = np.array([[0, 1, 1], [5, 0, 1], [40, 10, 0]], dtype=float)
    search = GridSearchCV(
        CostSensitiveClassifier(),
        {"cost_matrix": [None, cost]},
        scoring=make_cost_scorer(cost, labels=[0, 1, 2]),
    ).fit(X, y)
    assert search.best_params_["cost_matrix"] is cost


# _decide and _tune_decision


def test_decide_is_log_zero_safe():
    """Check that a zero probability is never chosen and raises no warning."""
    proba = np.array([[0.0, 1.0], [0.6, 0.4], [0.0, 1.0]])
    with np.errstate(all="raise"):
        assert_array_equal(_decide(proba, np.array([10.0, 0.0])), [1, 0, 1])


def test_tau_grid_holds_zero_and_one():
    """Check that the grid contains the trained (0) and balanced (1) rules."""
    assert 0.0 in TAU_GRID and 1.0 in TAU_GRID


def test_tune_decision_scores_every_tau():
    """Check cv_results against a direct computation with scikit-learn's f1_score."""
    rng = np.random.RandomState(0)
    codes = rng.choice(3, size=300, p=[0.7, 0.2, 0.1])
    proba = rng.dirichlet([1, 1, 1], size=300)
    proba[np.arange(300), codes] += 0.6
    proba /= proba.sum(axis=1, keepdims=True)
    prior = np.bincount(codes) / 300
    decision = _tune_decision(proba, codes, prior)
    for tau, score in zip(decision.cv_results["tau"], decision.cv_results["score"]):
        pred = np.argmax(np.log(proba) - tau * np.log(prior), axis=1)
        assert score == pytest.approx(f1_score(codes, pred, average="macro"))
    assert decision.best_score == pytest.approx(np.max(decision.cv_results["score"]))
    assert_allclose(decision.class_offset, -decision.tau * np.log(prior))


def test_tune_decision_recovers_the_balanced_rule():
    """Check that for balanced accuracy on calibrated probabilities, tau is near 1.

    With exact posteriors, the balanced-error Bayes rule is argmax p_c / pi_c.
    """
    rng = np.random.RandomState(0)
    prior = np.array([0.85, 0.1, 0.05])
    codes = rng.choice(3, size=20000, p=prior)
    means = np.array([0.0, 1.5, 3.0])
    x = rng.normal(means[codes], 1.0)
    likelihood = np.exp(-0.5 * (x[:, None] - means) ** 2)
    proba = likelihood * prior
    proba /= proba.sum(axis=1, keepdims=True)
    decision = _tune_decision(proba, codes, prior, scoring="balanced_accuracy")
    assert 0.8 <= decision.tau <= 1.2


def test_tune_decision_with_a_cost_matrix_minimises_cost():
    """Check that a cost matrix as scoring gives minus the mean cost."""
    rng = np.random.RandomState(1)
    codes = rng.choice(3, size=400, p=[0.7, 0.2, 0.1])
    proba = rng.dirichlet([2, 2, 2], size=400)
    prior = np.bincount(codes) / 400
    cost = np.array([[0, 1, 1], [3, 0, 1], [9, 3, 0]], dtype=float)
    decision = _tune_decision(proba, codes, prior, scoring=cost)
    pred = _decide(proba, decision.class_offset)
    assert decision.best_score == pytest.approx(-expected_cost(codes, pred, cost))


def test_per_class_starts_at_and_improves_on_tau():
    """Check that per-class offsets score at least the tau solution, near it."""
    rng = np.random.RandomState(2)
    codes = rng.choice(4, size=600, p=[0.6, 0.2, 0.15, 0.05])
    proba = rng.dirichlet([1, 1, 1, 1], size=600)
    proba[np.arange(600), codes] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    prior = np.bincount(codes) / 600
    tau = _tune_decision(proba, codes, prior)
    per_class = _tune_decision(proba, codes, prior, method="per_class", random_state=0)
    assert per_class.tau == tau.tau
    assert per_class.best_score >= tau.best_score
    assert np.abs(per_class.class_offset - tau.class_offset).max() <= 2.0


# TunedDecisionClassifierCV


def test_tuned_predicts_with_its_offsets(data):
    """Check predict = argmax(log p + class_offset_) and predict_proba is the inner one."""
    X, y = data
    clf = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    proba = clf.estimator_.predict_proba(X)
    assert_allclose(clf.predict_proba(X), proba)
    assert_array_equal(clf.predict(X), np.argmax(np.log(proba) + clf.class_offset_, axis=1))
    assert clf.cv_mode_ == "cv"
    assert set(clf.cv_results_) == {"tau", "score"}


def test_tuned_matches_out_of_fold_tuning(data):
    """Check that the CV path tunes tau on stratified 5-fold out-of-fold probabilities."""
    from sklearn.model_selection import StratifiedKFold

    X, y = data
    clf = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    proba = cross_val_predict(
        LogisticRegression(max_iter=1000), X, y, cv=folds, method="predict_proba"
    )
    expected = _tune_decision(proba, y, np.bincount(y) / len(y))
    assert clf.tau_ == expected.tau
    assert_allclose(clf.cv_results_["score"], expected.cv_results["score"])


def test_tuned_improves_macro_f1_on_held_out_rows(data):
    """Check that the tuned decision beats plain LR on held-out macro-F1 here."""
    X, y = data
    X_train, X_test, y_train, y_test = X[:300], X[300:], y[:300], y[300:]
    plain = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    tuned = TunedDecisionClassifierCV(random_state=0).fit(X_train, y_train)
    assert tuned.tau_ > 0
    assert f1_score(y_test, tuned.predict(X_test), average="macro") > f1_score(
        y_test, plain.predict(X_test), average="macro"
    )


@pytest.mark.parametrize(
    "forest",
    [
        RandomForestClassifier(n_estimators=30, random_state=0),
        ExtraTreesClassifier(n_estimators=30, bootstrap=True, random_state=0),
        BaggingClassifier(n_estimators=30, random_state=0),
        make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=30, random_state=0)),
        BalancedClassifier(RandomForestClassifier(n_estimators=30, random_state=0)),
    ],
    ids=["rf", "extra-trees-bootstrap", "bagging", "pipeline", "balanced-forest"],
)
def test_auto_uses_out_of_bag_probabilities(data, forest):
    """Check that cv='auto' tunes on OOB probabilities with a single fit."""
    X, y = data
    clf = TunedDecisionClassifierCV(forest, random_state=0).fit(X, y)
    assert clf.cv_mode_ == "oob"
    final = clf.estimator_[-1] if hasattr(clf.estimator_, "steps") else clf.estimator_
    if isinstance(final, BalancedClassifier):
        final = final.estimator_
    assert final.oob_score is True
    oob = final.oob_decision_function_
    rows = np.isfinite(oob).all(axis=1)
    expected = _tune_decision(oob[rows], y[rows], np.bincount(y) / len(y))
    assert clf.tau_ == expected.tau
    assert forest.get_params().get("oob_score", False) is False  # not mutated


def test_forced_cv_and_no_bootstrap_use_folds(data):
    """Check that an int cv, or a forest without bootstrap, cross-validates."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    assert TunedDecisionClassifierCV(forest, cv=3).fit(X, y).cv_mode_ == "cv"
    no_bootstrap = ExtraTreesClassifier(n_estimators=10, random_state=0)
    assert TunedDecisionClassifierCV(no_bootstrap).fit(X, y).cv_mode_ == "cv"


def test_splitter_cv_is_used_as_given(data):
    """Check that a splitter gives the out-of-fold probabilities."""
    X, y = data
    folds = KFold(4, shuffle=True, random_state=3)
    clf = TunedDecisionClassifierCV(cv=folds).fit(X, y)
    proba = cross_val_predict(LogisticRegression(max_iter=1000), X, y, cv=folds,
                              method="predict_proba")  # fmt: skip
    assert_allclose(clf.cv_results_["score"], _tune_decision(proba, y, np.bincount(y) / 500)
                    .cv_results["score"])  # fmt: skip


def test_refit_false_keeps_the_first_fold_model(data):
    """Check that refit=False keeps a fold model fitted on fewer rows."""
    X, y = data
    clf = TunedDecisionClassifierCV(RecordingClassifier(), refit=False, random_state=0)
    clf.fit(X, y, sample_weight=np.ones(len(y)))
    assert len(clf.estimator_.sample_weight_) == 400


def test_tiny_classes_do_not_crash():
    """Check that classes of 1 and 2 rows are handled (the single row left out of tuning)."""
    X, y = make_classification(n_samples=60, n_informative=3, random_state=0)
    y = np.array(["x", "y"])[y].astype(object)
    y[:1], y[1:3] = "single", "pair"
    clf = TunedDecisionClassifierCV(LogisticRegression(max_iter=500), random_state=0).fit(X, y)
    assert clf.cv_mode_ == "cv"
    assert clf.predict(X).shape == (60,)


def test_no_foldable_classes_falls_back_in_sample():
    """Check that with single-row classes only, tuning is in-sample, with a warning."""
    X = np.arange(6, dtype=float).reshape(3, 2)
    y = np.array(["a", "a", "b"])
    with pytest.warns(UserWarning, match="in-sample"):
        clf = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    assert clf.cv_mode_ == "in_sample"


def test_deterministic_with_random_state(data):
    """Check that two fits with the same random_state agree."""
    X, y = data
    first = TunedDecisionClassifierCV(method="per_class", random_state=0).fit(X, y)
    second = TunedDecisionClassifierCV(method="per_class", random_state=0).fit(X, y)
    assert_array_equal(first.class_offset_, second.class_offset_)


@pytest.mark.parametrize(
    "scoring",
    [
        "f1_macro",
        "balanced_accuracy",
        "gmean",
        "accuracy",
        "f1_weighted",
        make_scorer(recall_score, average="macro"),
        lambda y_true, y_pred: recall_score(y_true, y_pred, average="macro"),
        {0: {1: 1, 2: 1}, 1: {0: 5, 2: 1}, 2: {0: 40, 1: 10}},
        np.array([[0, 1, 1], [5, 0, 1], [40, 10, 0]]),
    ],
    ids=["f1", "bacc", "gmean", "accuracy", "f1w", "scorer", "metric", "cost-dict", "cost-array"],
)
def test_every_kind_of_scoring(data, scoring):
    """Check that names, scorers, metrics and cost matrices all tune a decision."""
    X, y = data
    clf = TunedDecisionClassifierCV(scoring=scoring, random_state=0).fit(X, y)
    assert np.isfinite(clf.best_score_)
    assert clf.best_score_ == pytest.approx(np.max(clf.cv_results_["score"]))


def test_scorer_and_metric_forms_agree(data):
    """Check that a scorer name, its scorer and its metric give the same tuning."""
    X, y = data
    scores = [
        TunedDecisionClassifierCV(scoring=s, random_state=0).fit(X, y).cv_results_["score"]
        for s in (
            "recall_macro",
            make_scorer(recall_score, average="macro"),
            lambda t, p: recall_score(t, p, average="macro"),
            "balanced_accuracy",
        )
    ]
    for other in scores[1:]:
        assert_allclose(other, scores[0])


def test_cost_scoring_matches_cost_scorer(data):
    """Check that a cost matrix and make_cost_scorer of it tune alike."""
    X, y = data
    cost = np.array([[0, 1, 1], [5, 0, 1], [40, 10, 0]], dtype=float)
    by_matrix = TunedDecisionClassifierCV(scoring=cost, random_state=0).fit(X, y)
    by_scorer = TunedDecisionClassifierCV(scoring=make_cost_scorer(cost), random_state=0)
    assert_allclose(by_scorer.fit(X, y).cv_results_["score"], by_matrix.cv_results_["score"])


@pytest.mark.parametrize(
    "scoring, error, message",
    [
        ("roc_auc_ovr", ValueError, "needs probabilities"),
        ("no_such_metric", ValueError, "no_such_metric"),
        ([[0, 1], [1, 0]], ValueError, "one row and one column per class"),
    ],
    ids=["proba-scorer", "unknown-name", "bad-cost"],
)
def test_bad_scoring(data, scoring, error, message):
    """Check that an unusable scoring is a clear error before any fit."""
    X, y = data
    with pytest.raises(error, match=message):
        TunedDecisionClassifierCV(RecordingClassifier(), scoring=scoring).fit(X, y)


def test_string_and_categorical_labels(data):
    """Check that labels of any kind give the same decision as their codes."""
    X, y = data
    label_of = np.array(["a", "b", "c"])
    by_code = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    for labels in (label_of[y], pd.Categorical(label_of[y])):
        by_name = TunedDecisionClassifierCV(random_state=0).fit(X, labels)
        assert_array_equal(by_name.predict(X), label_of[by_code.predict(X)])


def test_frozen_estimator_tunes_on_the_given_rows(data):
    """Check that a FrozenEstimator is not refitted and is tuned on the rows given."""
    X, y = data
    prefit = LogisticRegression(max_iter=1000).fit(X[:300], y[:300])
    clf = TunedDecisionClassifierCV(FrozenEstimator(prefit), random_state=0).fit(X[300:], y[300:])
    assert clf.estimator_.estimator is prefit
    expected = _tune_decision(prefit.predict_proba(X[300:]), y[300:], np.bincount(y[300:]) / 200)
    assert clf.tau_ == expected.tau


def test_sample_weight_reaches_every_fit_and_the_scores(data):
    """Check that sample_weight goes to the fold fits and weights the tuning."""
    X, y = data
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    clf = TunedDecisionClassifierCV(RecordingClassifier(), random_state=0)
    clf.fit(X, y, sample_weight=weight, extra="x")
    assert_allclose(clf.estimator_.sample_weight_, weight)
    assert clf.estimator_.extra_ == "x"
    prior = np.bincount(y, weights=weight) / weight.sum()
    assert_allclose(clf.class_offset_, -clf.tau_ * np.log(prior))


def test_sample_weight_without_support_is_refused(data):
    """Check that sample_weight with an estimator that cannot take it is a ValueError."""
    X, y = data
    with pytest.raises(ValueError, match="takes no sample_weight"):
        TunedDecisionClassifierCV(KNeighborsClassifier()).fit(X, y, sample_weight=np.ones(500))


@config_context(enable_metadata_routing=True)
def test_routing_sample_weight_through_grid_search(data):
    """Check that a requested sample_weight is consumed by the meta-estimator."""
    X, y = data
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    clf = TunedDecisionClassifierCV(LogisticRegression(max_iter=1000), random_state=0)
    clf.set_fit_request(sample_weight=True).set_score_request(sample_weight=True)
    search = GridSearchCV(clf, {"method": ["prior_power", "per_class"]}, cv=2)
    search.fit(X, y, sample_weight=weight)
    assert search.best_estimator_.cv_mode_ == "cv"


@config_context(enable_metadata_routing=True)
def test_routing_other_params_need_a_request(data):
    """Check that unrequested metadata is refused and requested metadata arrives."""
    X, y = data
    with pytest.raises(UnsetMetadataPassedError):
        TunedDecisionClassifierCV(RecordingClassifier()).fit(X, y, extra="x")
    inner = RecordingClassifier().set_fit_request(extra=True)
    clf = TunedDecisionClassifierCV(inner).fit(X, y, extra="x")
    assert clf.estimator_.extra_ == "x"


def test_inputs_are_not_modified(data):
    """Check that X, y and sample_weight are left as they were."""
    X, y = data
    X_copy, y_copy, weight = X.copy(), y.copy(), np.ones(len(y))
    TunedDecisionClassifierCV(method="per_class", random_state=0).fit(X, y, sample_weight=weight)
    assert_array_equal(X, X_copy)
    assert_array_equal(y, y_copy)
    assert_array_equal(weight, np.ones(len(y)))


def test_n_jobs_gives_the_same_result(data):
    """Check that folds fitted in parallel give the same decision."""
    X, y = data
    serial = TunedDecisionClassifierCV(random_state=0).fit(X, y)
    parallel = TunedDecisionClassifierCV(random_state=0, n_jobs=2).fit(X, y)
    assert_array_equal(serial.cv_results_["score"], parallel.cv_results_["score"])
