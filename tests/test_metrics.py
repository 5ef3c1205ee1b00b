"""Tests of the cost-sensitive metrics (expected_cost, make_cost_scorer)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score

from skbalance.metrics import expected_cost, make_cost_scorer

COST = np.array([[0.0, 1.0, 2.0], [4.0, 0.0, 1.0], [30.0, 6.0, 0.0]])


def test_expected_cost_is_the_mean_cost_per_row():
    """Check the result against the confusion matrix weighted by the costs."""
    rng = np.random.RandomState(0)
    y_true, y_pred = rng.randint(3, size=200), rng.randint(3, size=200)
    expected = (confusion_matrix(y_true, y_pred) * COST).sum() / 200
    assert expected_cost(y_true, y_pred, COST) == pytest.approx(expected)


def test_sample_weight_gives_the_weighted_mean():
    """Check that integer sample weights equal repeated rows."""
    y_true, y_pred = np.array([0, 1, 2, 2]), np.array([1, 1, 0, 2])
    weight = np.array([1, 3, 2, 1])
    repeated = expected_cost(np.repeat(y_true, weight), np.repeat(y_pred, weight), COST)
    assert expected_cost(y_true, y_pred, COST, sample_weight=weight) == pytest.approx(repeated)


def test_labels_align_the_matrix():
    """Check that labels say which label each row and column is, for any label kind."""
    y_true, y_pred = ["ill", "ill", "ok"], ["ok", "ok", "ok"]
    cost = [[0, 10], [1, 0]]
    assert expected_cost(y_true, y_pred, cost, labels=["ill", "ok"]) == pytest.approx(20 / 3)
    assert expected_cost(y_true, y_pred, cost, labels=["ok", "ill"]) == pytest.approx(2 / 3)
    assert expected_cost(y_true, y_pred, cost) == pytest.approx(20 / 3)  # sorted labels


def test_dict_and_array_agree():
    """Check that a dict cost matrix (missing diagonal = 0) equals the array."""
    as_dict = {0: {1: 1.0, 2: 2.0}, 1: {0: 4.0, 2: 1.0}, 2: {0: 30.0, 1: 6.0}}
    y_true, y_pred = [0, 1, 2, 2, 1], [2, 0, 1, 2, 1]
    assert expected_cost(y_true, y_pred, as_dict) == expected_cost(y_true, y_pred, COST)


@pytest.mark.parametrize(
    "cost, labels, message",
    [
        (COST[:2, :2], None, "pass labels="),
        (COST[:2], [0, 1, 2], "square"),
        (np.where(np.eye(3) > 0, 0, np.inf), [0, 1, 2], "NaN or infinite"),
        (-COST, [0, 1, 2], "negative"),
        ({0: {1: 1.0}, 1: {0: 1.0, 2: 1.0}, 2: {0: 1.0, 1: 1.0}}, None, r"\(0, 2\)"),
        ({0: {1: "a"}, 1: {0: 1.0}}, [0, 1], "must be a number"),
        ({0: 1.0}, None, "maps each true label"),
        ([["a", "b"], ["c", "d"]], [0, 1], "hold numbers"),
    ],
    ids=["size", "not-square", "inf", "negative", "missing-pair", "text-cost", "flat", "text"],
)
def test_bad_cost_matrices(cost, labels, message):
    """Check that a bad cost matrix is a ValueError naming the problem."""
    with pytest.raises(ValueError, match=message):
        expected_cost([0, 1, 2], [0, 1, 1], cost, labels=labels)


def test_unknown_label_is_named():
    """Check that a label of y missing from labels is named."""
    with pytest.raises(ValueError, match=r"\[7\]"):
        expected_cost([0, 7], [0, 1], [[0, 1], [1, 0]], labels=[0, 1])


def test_lengths_must_match():
    """Check that y_true and y_pred of different lengths are refused."""
    with pytest.raises(ValueError, match="different lengths"):
        expected_cost([0, 1, 1], [0, 1], [[0, 1], [1, 0]])


def test_scorer_is_negative_cost_in_cross_val_score():
    """Check that the scorer gives minus the cost of predict on each fold."""
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, random_state=0)
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(LogisticRegression(), X, y, cv=folds,
                             scoring=make_cost_scorer(COST, labels=[0, 1, 2]))  # fmt: skip
    for score, (train, test) in zip(scores, folds.split(X, y)):
        model = LogisticRegression().fit(X[train], y[train])
        assert score == pytest.approx(-expected_cost(y[test], model.predict(X[test]), COST))


def test_scorer_in_grid_search_prefers_the_cheaper_model():
    """Check that GridSearchCV with the scorer picks class weights that cut a costly error."""
    X, y = make_classification(n_samples=400, weights=[0.9, 0.1], random_state=0)
    search = GridSearchCV(
        LogisticRegression(),
        {"class_weight": [None, {0: 1, 1: 20}]},
        scoring=make_cost_scorer({0: {1: 1.0}, 1: {0: 20.0}}),
    ).fit(X, y)
    assert search.best_params_["class_weight"] == {0: 1, 1: 20}
    assert search.best_score_ < 0


def test_scorer_checks_the_matrix_at_once():
    """Check that make_cost_scorer refuses a bad matrix before any fit."""
    with pytest.raises(ValueError, match="negative"):
        make_cost_scorer(-COST)
    with pytest.raises(ValueError, match="one row and one column"):
        make_cost_scorer(COST, labels=[0, 1])


@settings(max_examples=60, deadline=None, database=None)
@given(
    labels=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=40),
    shift=st.lists(st.integers(0, 4), min_size=40, max_size=40),
)
def test_fold_scores_equal_scikit_learn_and_imbalanced_learn(labels, shift):
    """Check the engine's confusion-count metrics against the libraries' own functions."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import f1_score, recall_score

    from skbalance._evaluation import _scores

    classes = np.array(["a", "b", "c", "d"])
    y_true = np.array(labels, dtype=object)
    # predictions: some right, some another class; "e" is a label the classes do not hold
    alphabet = np.array(["a", "b", "c", "d", "e"])
    codes = np.searchsorted(alphabet, y_true.astype(str))
    y_pred = alphabet[(codes + np.array(shift[: len(labels)])) % 5].astype(object)
    scores = _scores(y_true, y_pred, classes, ("f1_macro", "balanced_accuracy", "gmean"))
    present = np.unique(y_true)
    recall = recall_score(y_true, y_pred, labels=classes, average=None, zero_division=np.nan)
    np.testing.assert_allclose([scores[f"recall_{c}"] for c in classes], recall)
    f1 = f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)
    assert scores["f1_macro"] == pytest.approx(f1)
    assert scores["balanced_accuracy"] == pytest.approx(np.nanmean(recall))
    gmean = geometric_mean_score(
        y_true, y_pred, labels=present, average="multiclass", correction=0.001
    )
    assert scores["gmean"] == pytest.approx(gmean)
