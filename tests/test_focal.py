"""Tests of skbalance.focal: FocalLossClassifier and the boosting objectives."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbalance._focal_loss import (
    _binary_loss_grad,
    _focal_grad_hess,
    _focal_loss_scale,
    _multinomial_loss_grad,
    _true_class_log_proba,
)
from skbalance.focal import (
    HESSIAN_FLOOR,
    FocalLossClassifier,
    focal_proba,
    lightgbm_metric,
    lightgbm_objective,
    xgboost_metric,
    xgboost_objective,
)
from skbalance.transformer import ClassWeightTransformer

GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]


def _data(n_classes=2, n_samples=200, weights=None, random_state=0):
    """Standardised make_classification data."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        weights=weights,
        random_state=random_state,
    )
    return StandardScaler().fit_transform(X), y


def _scores(rng, n_samples, n_classes, scale=3.0):
    """Random raw scores: 1-D for two classes, 2-D otherwise."""
    shape = (n_samples,) if n_classes == 2 else (n_samples, n_classes)
    return scale * rng.standard_normal(shape)


def _sample_losses(codes, scores, gamma):
    """Per-sample focal loss at raw scores."""
    return _focal_loss_scale(_true_class_log_proba(codes, scores), gamma)[0]


def _finite_differences(codes, scores, gamma, weight, step=1e-5):
    """Central differences of the weighted loss and of the exact gradient.

    Returns the gradient and the Hessian diagonal, each shaped like ``scores``.
    """
    flat = scores.reshape(len(codes), -1)
    grad = np.empty_like(flat)
    hess = np.empty_like(flat)
    for j in range(flat.shape[1]):
        shift = np.zeros_like(flat)
        shift[:, j] = step
        up, down = (flat + shift).reshape(scores.shape), (flat - shift).reshape(scores.shape)
        loss_diff = _sample_losses(codes, up, gamma) - _sample_losses(codes, down, gamma)
        grad[:, j] = weight * loss_diff / (2 * step)
        grad_up = _focal_grad_hess(codes, up, gamma)[0].reshape(flat.shape)[:, j]
        grad_down = _focal_grad_hess(codes, down, gamma)[0].reshape(flat.shape)[:, j]
        hess[:, j] = weight * (grad_up - grad_down) / (2 * step)
    return grad.reshape(scores.shape), hess.reshape(scores.shape)


# --------------------------------------------------------------------------
# FocalLossClassifier
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gamma_zero_matches_logistic_regression(n_classes, weighted, fit_intercept):
    """Check that gamma=0, alpha=None gives LogisticRegression's model."""
    X, y = _data(n_classes)
    sample_weight = np.random.RandomState(0).uniform(0.1, 3.0, y.size) if weighted else None
    params = dict(C=0.3, fit_intercept=fit_intercept, tol=1e-10, max_iter=10_000)
    lr = LogisticRegression(**params).fit(X, y, sample_weight=sample_weight)
    focal = FocalLossClassifier(gamma=0.0, **params).fit(X, y, sample_weight=sample_weight)
    assert focal.coef_.shape == lr.coef_.shape
    assert_allclose(focal.coef_, lr.coef_, atol=1e-4)
    assert_allclose(focal.intercept_, lr.intercept_, atol=1e-4)
    assert_allclose(focal.predict_proba(X), lr.predict_proba(X), atol=1e-5)
    assert focal.n_iter_.shape == (1,)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_balanced_alpha_matches_balanced_class_weight(n_classes):
    """Check that gamma=0, alpha="balanced" equals class_weight="balanced"."""
    X, y = _data(n_classes, weights=[0.6, 0.3, 0.1][:n_classes])
    lr = LogisticRegression(class_weight="balanced", tol=1e-10, max_iter=10_000).fit(X, y)
    focal = FocalLossClassifier(0.0, alpha="balanced", tol=1e-10).fit(X, y)
    assert_allclose(focal.coef_, lr.coef_, atol=1e-4)
    assert_allclose(focal.intercept_, lr.intercept_, atol=1e-4)


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_objective_gradient_matches_finite_differences(n_classes, gamma):
    """Check that the classifier's analytic gradient matches finite differences."""
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 3))
    codes = rng.randint(0, n_classes, 40)
    weights = rng.uniform(0.0, 1.0, 40)
    if n_classes == 2:
        func, target, n_rows = _binary_loss_grad, 2.0 * codes - 1.0, 1
    else:
        func, target, n_rows = _multinomial_loss_grad, codes, n_classes
    args = (X, target, weights, 0.1, gamma, True)
    w0 = rng.standard_normal(n_rows * 4)
    error = check_grad(lambda w: func(w, *args)[0], lambda w: func(w, *args)[1], w0)
    assert error < 1e-5 * max(1.0, np.linalg.norm(func(w0, *args)[1]))


@settings(max_examples=20, deadline=None)
@given(
    n_classes=st.integers(2, 4),
    n_samples=st.integers(8, 40),
    n_features=st.integers(1, 4),
    gamma=st.sampled_from([0.0, 0.5, 2.0]),
    seed=st.integers(0, 2**16),
)
def test_proba_rows_sum_to_one_and_predict_is_argmax(
    n_classes, n_samples, n_features, gamma, seed
):
    """Check that proba rows sum to 1 and predict is classes_[argmax proba]."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n_samples, n_features)) * rng.choice([0.1, 1.0, 100.0])
    y = rng.permutation(np.arange(n_samples) % n_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = FocalLossClassifier(gamma, max_iter=50).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (n_samples, n_classes)
    assert np.all(proba >= 0)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.predict(X), clf.classes_[np.argmax(proba, axis=1)])
    assert_allclose(np.exp(clf.predict_log_proba(X)), proba, atol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_no_overflow_with_large_features(n_classes, gamma):
    """Check that features scaled by 1e3 raise no overflow or other warning."""
    X, y = _data(n_classes)
    X *= 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = FocalLossClassifier(gamma).fit(X, y)
        proba = clf.predict_proba(X * 10)
        clf.predict_log_proba(X * 10)
    assert np.isfinite(clf.coef_).all()
    assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_focal_terms_are_finite_when_p_is_one(gamma):
    """Check that loss and derivative stay finite as p -> 1, also for gamma < 1."""
    lp = np.array([0.0, -1e-300, -1e-17, -1e-8, -0.5, -50.0, -1e5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, g, q = _focal_loss_scale(lp, gamma)
        grad, hess = _focal_grad_hess(np.zeros(3, dtype=int), np.array([1e4, 0.0, -1e4]), gamma)
    assert np.isfinite(loss).all() and np.isfinite(g).all() and np.isfinite(q).all()
    assert np.isfinite(grad).all() and np.isfinite(hess).all()
    assert loss[0] == 0 and g[0] == (-1.0 if gamma == 0 else 0.0)


def test_convergence_warning_when_max_iter_reached():
    """Check that stopping on max_iter raises a ConvergenceWarning."""
    X, y = _data(3)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        clf = FocalLossClassifier(max_iter=1).fit(X, y)
    assert_array_equal(clf.n_iter_, [1])


def test_alpha_dict_missing_label_raises():
    """Check that an alpha dict without a label of y is an error naming it."""
    X, _ = _data(3)
    y = np.array(["cat", "dog", "eel"])[np.arange(X.shape[0]) % 3]
    with pytest.raises(ValueError, match="eel"):
        FocalLossClassifier(alpha={"cat": 1.0, "dog": 2.0}).fit(X, y)


def test_alpha_forms_agree():
    """Check that alpha as a scheme, transformer, dict or array gives one model."""
    X, y = _data(3, weights=[0.7, 0.2, 0.1])
    counts = np.bincount(y)
    balanced = y.size / (3 * counts)
    expected = FocalLossClassifier(alpha="balanced").fit(X, y)
    assert_allclose(expected.class_alpha_, balanced)
    for alpha in (
        ClassWeightTransformer("balanced"),
        dict(enumerate(balanced)),
        balanced.tolist(),
        lambda n_c: 1.0 / n_c,
    ):
        clf = FocalLossClassifier(alpha=alpha).fit(X, y)
        assert_allclose(clf.class_alpha_, balanced)
        assert_allclose(clf.coef_, expected.coef_, atol=1e-8)


@pytest.mark.parametrize("scheme", ["inverse", "inverse_sqrt", "effective_number", "none"])
def test_alpha_scheme_name_is_mean_normalised(scheme):
    """Check that a scheme name gives weights whose sample mean is 1."""
    X, y = _data(3, weights=[0.7, 0.2, 0.1])
    clf = FocalLossClassifier(alpha=scheme).fit(X, y)
    assert_allclose(np.bincount(y) @ clf.class_alpha_, y.size)
    assert clf.score(X, y) > 0.6


def test_alpha_array_of_wrong_length_raises():
    """Check that an alpha array not aligned with classes_ is an error."""
    X, y = _data(3)
    with pytest.raises(ValueError, match="one weight per class"):
        FocalLossClassifier(alpha=[1.0, 2.0]).fit(X, y)


def test_alpha_up_weights_rare_class():
    """Check that a large alpha on the rare class raises its recall."""
    X, y = _data(2, n_samples=400, weights=[0.9, 0.1])
    plain = FocalLossClassifier().fit(X, y)
    weighted = FocalLossClassifier(alpha={0: 1.0, 1: 9.0}).fit(X, y)
    rare = y == 1
    assert (weighted.predict(X[rare]) == 1).mean() > (plain.predict(X[rare]) == 1).mean()


def test_single_class_raises():
    """Check that a y with one class is a clear error."""
    X, _ = _data(2)
    with pytest.raises(ValueError, match="only one class"):
        FocalLossClassifier().fit(X, np.ones(X.shape[0]))


def test_zero_total_weight_raises():
    """Check that all-zero sample weights times alpha are a clear error."""
    X, y = _data(2)
    with pytest.raises(ValueError, match="zero weight"):
        FocalLossClassifier(alpha=[0.0, 0.0]).fit(X, y)


def test_inputs_not_modified():
    """Check that fit and predict leave X, y and sample_weight unchanged."""
    X, y = _data(3)
    X[0, 0] = 1e3
    sample_weight = np.linspace(0.5, 2.0, y.size)
    copies = X.copy(), y.copy(), sample_weight.copy()
    clf = FocalLossClassifier(alpha="balanced").fit(X, y, sample_weight=sample_weight)
    clf.predict_proba(X)
    for original, copy in zip((X, y, sample_weight), copies):
        assert_array_equal(original, copy)


def test_deterministic():
    """Check that two fits give exactly the same model."""
    X, y = _data(3)
    first = FocalLossClassifier(gamma=2.0).fit(X, y)
    second = clone(first).fit(X, y)
    assert_array_equal(first.coef_, second.coef_)
    assert_array_equal(first.intercept_, second.intercept_)


def test_warm_start():
    """Check that warm_start resumes from the previous solution."""
    X, y = _data(3)
    cold = FocalLossClassifier(tol=1e-8).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        warm = FocalLossClassifier(tol=1e-8, max_iter=5, warm_start=True).fit(X, y)
    warm.set_params(max_iter=1000).fit(X, y)
    assert warm.n_iter_[0] < cold.n_iter_[0]
    assert_allclose(warm.coef_, cold.coef_, atol=1e-5)
    # A new shape (two classes instead of three) starts again from zeros.
    binary = y < 2
    warm.fit(X[binary], y[binary])
    assert warm.coef_.shape == (1, X.shape[1])
    assert_allclose(warm.coef_, FocalLossClassifier().fit(X[binary], y[binary]).coef_, atol=1e-5)


def test_binary_attributes_and_decision_function():
    """Check the sigmoid model's shapes and its predict/decision consistency."""
    X, y = _data(2)
    clf = FocalLossClassifier().fit(X, y)
    assert clf.coef_.shape == (1, X.shape[1])
    assert clf.intercept_.shape == (1,)
    scores = clf.decision_function(X)
    assert scores.shape == (X.shape[0],)
    assert_allclose(clf.predict_proba(X)[:, 1], expit(scores))
    assert_array_equal(clf.predict(X), clf.classes_[(scores > 0).astype(int)])


def test_multiclass_attributes():
    """Check the softmax model's shapes and centred intercepts."""
    X, y = _data(3)
    clf = FocalLossClassifier().fit(X, y)
    assert clf.coef_.shape == (3, X.shape[1])
    assert clf.decision_function(X).shape == (X.shape[0], 3)
    assert abs(clf.intercept_.sum()) < 1e-10
    assert_allclose(clf.predict_proba(X), softmax(clf.decision_function(X), axis=1))


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["b", "a", "c"]),
        np.array(["1", "2", "10"], dtype=object),
        pd.Categorical(["x", "y", "z"], categories=["z", "y", "x", "unused"]),
    ],
)
def test_label_types(labels):
    """Check that string, numeric-string and categorical labels round-trip."""
    X, codes = _data(3)
    y = np.asarray(labels)[codes]
    if isinstance(labels, pd.Categorical):
        y = pd.Series(pd.Categorical(y, categories=labels.categories))
    clf = FocalLossClassifier().fit(X, y)
    assert set(clf.classes_.tolist()) == set(np.asarray(labels).tolist())
    assert set(clf.predict(X).tolist()) <= set(clf.classes_.tolist())
    assert clf.score(X, y) > 0.6


def test_boolean_labels():
    """Check that boolean labels give a binary model predicting booleans."""
    X, codes = _data(2)
    clf = FocalLossClassifier().fit(X, codes.astype(bool))
    assert_array_equal(clf.classes_, [False, True])
    assert clf.predict(X).dtype == bool


def test_sparse_matches_dense():
    """Check that a sparse X gives the same model as the dense one."""
    X, y = _data(3)
    X[np.abs(X) < 0.5] = 0.0
    dense = FocalLossClassifier().fit(X, y)
    for fmt in ("csr", "csc"):
        sparse = FocalLossClassifier().fit(sp.csr_matrix(X).asformat(fmt), y)
        assert_allclose(sparse.coef_, dense.coef_, atol=1e-8)
        assert_allclose(sparse.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X))


def test_feature_names():
    """Check that a DataFrame X records feature_names_in_."""
    X, y = _data(2)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = FocalLossClassifier().fit(frame, y)
    assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == X.shape[1]


def test_integer_sample_weight_equals_repeated_rows():
    """Check that integer sample weights equal repeated rows, with alpha too."""
    X, y = _data(3, n_samples=90)
    repeats = np.random.RandomState(0).randint(0, 3, y.size)
    kwargs = dict(alpha="balanced", tol=1e-10)
    weighted = FocalLossClassifier(**kwargs).fit(X, y, sample_weight=repeats)
    repeated = FocalLossClassifier(**kwargs).fit(np.repeat(X, repeats, 0), np.repeat(y, repeats))
    assert_allclose(weighted.coef_, repeated.coef_, atol=1e-6)


def test_pipeline_and_grid_search():
    """Check that it works in a pipeline tuned by GridSearchCV over gamma."""
    X, y = make_classification(
        n_samples=300, n_features=8, weights=[0.85, 0.15], random_state=0
    )
    X = X * 100 + 50
    pipe = make_pipeline(StandardScaler(), FocalLossClassifier())
    search = GridSearchCV(
        pipe, {"focallossclassifier__gamma": [0.0, 1.0, 3.0]}, cv=3, scoring="f1_macro"
    ).fit(X, y)
    assert search.best_params_["focallossclassifier__gamma"] in (0.0, 1.0, 3.0)
    assert search.best_score_ > 0.6
    assert search.predict_proba(X).shape == (300, 2)


def test_inside_meta_estimator_with_sample_weight():
    """Check that a sample_weight-based meta-estimator (AdaBoost) can use it."""
    X, y = _data(2)
    ada = AdaBoostClassifier(FocalLossClassifier(max_iter=200), n_estimators=3, random_state=0)
    ada.fit(X, y, sample_weight=np.full(y.size, 0.5))
    assert ada.score(X, y) > 0.7


# --------------------------------------------------------------------------
# Boosting objectives
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("make_objective", [lightgbm_objective, xgboost_objective])
def test_boosting_gradient_and_hessian_match_finite_differences(
    n_classes, gamma, make_objective
):
    """Check that grad and hess equal finite differences of the weighted loss."""
    rng = np.random.RandomState(int(10 * gamma) + n_classes)
    scores = _scores(rng, 60, n_classes)
    codes = rng.randint(0, n_classes, 60)
    alpha = rng.uniform(0.5, 2.0, n_classes)
    sample_weight = rng.uniform(0.0, 2.0, 60)
    weight = alpha[codes] * sample_weight
    grad, hess = make_objective(gamma, alpha=alpha)(
        codes.astype(float), scores, sample_weight=sample_weight
    )
    assert grad.shape == hess.shape == scores.shape
    grad_fd, hess_fd = _finite_differences(codes, scores, gamma, weight)
    assert_allclose(grad, grad_fd, atol=1e-7)
    weight = weight if scores.ndim == 1 else weight[:, None]
    assert_allclose(hess, np.maximum(hess_fd, HESSIAN_FLOOR * weight), atol=1e-7)
    assert np.all(hess >= HESSIAN_FLOOR * weight * (1 - 1e-12))


@pytest.mark.parametrize("gamma", GAMMAS)
def test_unweighted_hessian_is_positive(gamma):
    """Check that the returned Hessian is positive even where the loss is concave."""
    rng = np.random.RandomState(0)
    for n_classes in (2, 4):
        scores = _scores(rng, 200, n_classes, scale=10.0)
        codes = rng.randint(0, n_classes, 200)
        _, hess = lightgbm_objective(gamma)(codes, scores)
        assert np.all(hess > 0)
        assert np.all(np.isfinite(hess))


def test_gamma_zero_objective_is_cross_entropy():
    """Check that gamma=0 gives p - onehot and the softmax/sigmoid Hessian."""
    rng = np.random.RandomState(0)
    scores = _scores(rng, 30, 4)
    codes = rng.randint(0, 4, 30)
    grad, hess = lightgbm_objective(0.0)(codes, scores)
    proba = softmax(scores, axis=1)
    assert_allclose(grad, proba - np.eye(4)[codes], atol=1e-12)
    assert_allclose(hess, np.maximum(proba * (1 - proba), HESSIAN_FLOOR), atol=1e-12)
    scores = _scores(rng, 30, 2)
    codes = rng.randint(0, 2, 30)
    grad, hess = xgboost_objective(0.0)(codes, scores)
    assert_allclose(grad, expit(scores) - codes, atol=1e-12)
    assert_allclose(hess, np.maximum(expit(scores) * expit(-scores), HESSIAN_FLOOR))


def test_metric_at_gamma_zero_is_log_loss():
    """Check that the focal metrics with gamma=0 equal scikit-learn's log_loss."""
    rng = np.random.RandomState(0)
    for n_classes in (2, 3):
        scores = _scores(rng, 50, n_classes, scale=1.0)
        codes = np.arange(50) % n_classes
        sample_weight = rng.uniform(0.5, 2.0, 50)
        expected = log_loss(codes, focal_proba(scores), sample_weight=sample_weight)
        name, value, higher = lightgbm_metric(0.0)(codes, scores, sample_weight)
        assert (name, higher) == ("focal_loss", False)
        assert value == pytest.approx(expected)
        metric = xgboost_metric(0.0)
        assert metric.__name__ == "focal_loss"
        assert metric(codes, scores, sample_weight=sample_weight) == pytest.approx(expected)


def test_objective_checks_labels_and_alpha():
    """Check that bad labels or a misaligned alpha are clear errors."""
    scores = np.zeros((4, 3))
    with pytest.raises(ValueError, match="class indices 0..2"):
        lightgbm_objective()(np.array([0, 1, 2, 3]), scores)
    with pytest.raises(ValueError, match="class indices"):
        lightgbm_objective()(np.array([0, 1, 2, 0.5]), scores)
    with pytest.raises(ValueError, match="one weight per class"):
        xgboost_objective(alpha=[1.0, 2.0])(np.array([0, 1, 2, 0]), scores)


def test_objective_pickles():
    """Check that objectives and metrics pickle and keep their parameters."""
    objective = lightgbm_objective(1.5, alpha=[1.0, 3.0])
    restored = pickle.loads(pickle.dumps(objective))
    scores, codes = np.array([0.3, -1.0]), np.array([1, 0])
    assert_allclose(restored(codes, scores)[0], objective(codes, scores)[0])
    assert "gamma=1.5" in repr(restored)
    assert pickle.loads(pickle.dumps(xgboost_metric(2.0))).__name__ == "focal_loss"


def test_focal_proba():
    """Check that focal_proba applies a sigmoid to 1-D and a softmax to 2-D scores."""
    scores = np.array([-3.0, 0.0, 40.0])
    proba = focal_proba(scores)
    assert proba.shape == (3, 2)
    assert_allclose(proba[:, 1], expit(scores))
    assert_allclose(focal_proba(scores[:, None]), proba)
    matrix = np.random.RandomState(0).standard_normal((5, 4)) * 50
    assert_allclose(focal_proba(matrix).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        focal_proba(np.zeros((2, 2, 2)))


def _imbalanced_split(n_classes):
    """An easy, imbalanced train/test split."""
    weights = [0.85, 0.15] if n_classes == 2 else [0.7, 0.2, 0.1]
    X, y = make_classification(
        n_samples=600,
        n_features=8,
        n_informative=5,
        n_classes=n_classes,
        weights=weights,
        class_sep=1.5,
        random_state=0,
    )
    return train_test_split(X, y, stratify=y, random_state=0)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_lightgbm_classifier_with_focal_objective(n_classes):
    """Check that LGBMClassifier learns with the focal objective and metric."""
    lgb = pytest.importorskip("lightgbm", reason="LightGBM is an optional dependency")
    X_train, X_test, y_train, y_test = _imbalanced_split(n_classes)
    clf = lgb.LGBMClassifier(
        objective=lightgbm_objective(2.0),
        n_estimators=60,
        n_jobs=1,
        verbose=-1,
        random_state=0,
    )
    clf.fit(X_train, y_train, sample_weight=np.ones(y_train.size))
    proba = focal_proba(clf.predict_proba(X_test, raw_score=True))
    assert proba.shape == (y_test.size, n_classes)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert accuracy_score(y_test, clf.classes_[proba.argmax(axis=1)]) > 0.8
    # The Booster API calls objective(preds, dataset) and feval(preds, dataset).
    train_set = lgb.Dataset(X_train, y_train)
    params = {"objective": lightgbm_objective(2.0), "num_threads": 1, "verbose": -1}
    if n_classes > 2:
        params["num_class"] = n_classes
    evals = {}
    booster = lgb.train(
        params,
        train_set,
        num_boost_round=30,
        valid_sets=[train_set],
        feval=lightgbm_metric(2.0),
        callbacks=[lgb.record_evaluation(evals)],
    )
    losses = evals["training"]["focal_loss"]
    assert losses[-1] < losses[0]
    raw = booster.predict(X_test, raw_score=True)
    assert accuracy_score(y_test, focal_proba(raw).argmax(axis=1)) > 0.8


@pytest.mark.parametrize("n_classes", [2, 3])
def test_xgboost_classifier_with_focal_objective(n_classes):
    """Check that XGBClassifier learns with the focal objective and metric."""
    xgb = pytest.importorskip("xgboost", reason="XGBoost is an optional dependency")
    X_train, X_test, y_train, y_test = _imbalanced_split(n_classes)
    clf = xgb.XGBClassifier(
        objective=xgboost_objective(2.0, alpha=np.ones(n_classes)),
        eval_metric=xgboost_metric(2.0),
        n_estimators=60,
        n_jobs=1,
        random_state=0,
    )
    clf.fit(
        X_train,
        y_train,
        sample_weight=np.ones(y_train.size),
        eval_set=[(X_test, y_test)],
        verbose=False,
    )
    proba = clf.predict_proba(X_test)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    margins = clf.predict(X_test, output_margin=True)
    assert_allclose(focal_proba(margins), proba, atol=1e-5)
    assert accuracy_score(y_test, clf.predict(X_test)) > 0.8
    losses = clf.evals_result()["validation_0"]["focal_loss"]
    assert losses[-1] < losses[0]


def test_xgboost_native_train_with_focal_objective():
    """Check that xgboost.train accepts the objective as obj=(predt, dtrain)."""
    xgb = pytest.importorskip("xgboost", reason="XGBoost is an optional dependency")
    X_train, X_test, y_train, y_test = _imbalanced_split(3)
    dtrain = xgb.DMatrix(X_train, y_train, weight=np.ones(y_train.size))
    params = {"objective": "multi:softprob", "num_class": 3, "nthread": 1}
    booster = xgb.train(params, dtrain, num_boost_round=40, obj=xgboost_objective(2.0))
    margins = booster.predict(xgb.DMatrix(X_test), output_margin=True)
    assert margins.shape == (y_test.size, 3)
    assert accuracy_score(y_test, focal_proba(margins).argmax(axis=1)) > 0.8
