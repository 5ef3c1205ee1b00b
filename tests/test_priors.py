"""Tests of the prior-shift correction of predicted probabilities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LogisticRegression

from skbalance.priors import correct_prior_shift, estimate_prior

PROBA = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [1 / 3, 1 / 3, 1 / 3]])


def test_equal_priors_is_the_identity():
    """Check that correcting to the training prior itself changes nothing."""
    prior = np.array([0.6, 0.3, 0.1])
    assert_allclose(correct_prior_shift(PROBA, prior, prior), PROBA)


def test_follows_the_prior_shift_rule():
    """Check that the output is p * target / train, renormalised per row."""
    train, target = np.array([0.6, 0.3, 0.1]), np.array([0.2, 0.2, 0.6])
    expected = PROBA * target / train
    expected /= expected.sum(axis=1, keepdims=True)
    assert_allclose(correct_prior_shift(PROBA, train, target), expected)


def test_priors_need_not_be_normalised():
    """Check that priors are used up to scale (counts work as well as frequencies)."""
    train, target = np.array([60, 30, 10]), np.array([1, 1, 3])
    assert_allclose(
        correct_prior_shift(PROBA, train, target),
        correct_prior_shift(PROBA, train / 100, target / 5),
    )


def test_rows_sum_to_one():
    """Check that corrected rows sum to 1 and accept lists as input."""
    corrected = correct_prior_shift(PROBA.tolist(), [0.5, 0.4, 0.1], [0.1, 0.1, 0.8])
    assert corrected.dtype == np.float64
    assert_allclose(corrected.sum(axis=1), 1.0)


def test_zero_train_prior_class_stays_zero():
    """Check that a class with training prior 0 (never seen) gets probability 0."""
    proba = np.array([[0.5, 0.3, 0.2], [0.0, 0.0, 1.0]])
    corrected = correct_prior_shift(proba, [0.5, 0.5, 0.0], [0.2, 0.3, 0.5])
    assert_array_equal(corrected[0, 2], 0.0)
    # 0.5 * 0.2 / 0.5 and 0.3 * 0.3 / 0.5, renormalised
    assert_allclose(corrected[0, :2], [0.2 / 0.38, 0.18 / 0.38])
    # a row whose whole mass sits on the never-seen class is left as it was
    assert_allclose(corrected[1], [0.0, 0.0, 1.0])


def test_does_not_modify_its_input():
    """Check that the probability array passed in is not modified in place."""
    proba = PROBA.copy()
    correct_prior_shift(proba, [0.6, 0.3, 0.1], [0.1, 0.1, 0.8])
    assert_array_equal(proba, PROBA)


@st.composite
def _proba_and_priors(draw):
    """Probability rows and two priors (with possible zeros) over 2-6 classes."""
    n_classes = draw(st.integers(2, 6))
    n_rows = draw(st.integers(1, 8))
    values = st.one_of(st.just(0.0), st.floats(1e-6, 1.0))
    raw = draw(arrays(np.float64, (n_rows, n_classes), elements=values))
    # every row needs some mass to be a probability vector
    raw[:, 0] += 1e-3
    train = draw(arrays(np.float64, n_classes, elements=values))
    train[draw(st.integers(0, n_classes - 1))] = 1.0
    target = draw(arrays(np.float64, n_classes, elements=st.floats(1e-6, 1.0)))
    return raw / raw.sum(axis=1, keepdims=True), train, target


@settings(max_examples=40, deadline=None)
@given(_proba_and_priors())
def test_property_rows_are_probabilities(case):
    """Check that every corrected row is non-negative and sums to 1."""
    proba, train, target = case
    corrected = correct_prior_shift(proba, train, target)
    assert corrected.shape == proba.shape
    assert np.isfinite(corrected).all()
    assert (corrected >= 0).all()
    assert_allclose(corrected.sum(axis=1), 1.0)
    # never-seen classes get nothing unless the row had mass on nothing else
    seen_mass = proba[:, train > 0].sum(axis=1) > 0
    assert_array_equal(corrected[np.ix_(seen_mass, train == 0)], 0.0)


@pytest.mark.parametrize("n_classes", [2, 5])
def test_uniform_train_prior_gives_target_weighted_proba(n_classes):
    """Check that a model trained on a uniform prior is re-weighted by the target prior."""
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(n_classes), size=10)
    target = rng.uniform(0.1, 1, n_classes)
    corrected = correct_prior_shift(proba, np.ones(n_classes), target)
    expected = proba * target
    assert_allclose(corrected, expected / expected.sum(axis=1, keepdims=True))


# estimate_prior


def _gaussian_classes(counts, rng, means):
    """Rows of Gaussian classes with unit covariance (LR is well specified)."""
    X = np.vstack([rng.normal(means[c], 1.0, (n, means.shape[1])) for c, n in enumerate(counts)])
    return X, np.repeat(np.arange(len(counts)), counts)


@pytest.fixture(scope="module")
def shifted():
    """A model fitted on balanced classes and 10,000 rows of a shifted deployment."""
    rng = np.random.RandomState(0)
    means = rng.normal(0, 1.5, (4, 5))
    X_train, y_train = _gaussian_classes([1000] * 4, rng, means)
    model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    truth = np.array([0.6, 0.25, 0.1, 0.05])
    X_new, _ = _gaussian_classes((truth * 10000).astype(int), rng, means)
    X_val, y_val = _gaussian_classes([500] * 4, rng, means)
    return model, X_new, truth, X_val, y_val


def _reference_em(proba, train_prior, tol=1e-10, max_iter=10000):
    """EM of Saerens et al. (2002), written out plainly as in the paper."""
    prior = np.array(train_prior, dtype=float)
    for _ in range(max_iter):
        adjusted = proba * (prior / train_prior)
        adjusted = adjusted / adjusted.sum(axis=1, keepdims=True)
        new_prior = adjusted.mean(axis=0)
        if np.abs(new_prior - prior).sum() < tol:
            return new_prior
        prior = new_prior
    return prior


def test_em_recovers_the_deployment_prior(shifted):
    """Check an L1 error of at most 0.03 on 10,000 shifted rows."""
    model, X_new, truth, _, _ = shifted
    estimate = estimate_prior(model, X_new, training_prior=[0.25] * 4)
    assert estimate.shape == (4,)
    assert estimate.sum() == pytest.approx(1.0)
    assert np.abs(estimate - truth).sum() <= 0.03


def test_em_agrees_with_a_plain_implementation(shifted):
    """Check agreement with the EM loop of the paper written independently."""
    model, X_new, _, _, _ = shifted
    estimate = estimate_prior(model, X_new, training_prior=[0.25] * 4, tol=1e-10, max_iter=10000)
    assert_allclose(estimate, _reference_em(model.predict_proba(X_new), np.full(4, 0.25)),
                    atol=1e-7)  # fmt: skip


def test_em_agrees_with_quapy(shifted):
    """Check agreement with QuaPy's EMQ on the same probabilities."""
    EMQ = pytest.importorskip("quapy.method.aggregative").EMQ
    model, X_new, _, _, _ = shifted
    proba = model.predict_proba(X_new)
    theirs, _ = EMQ.EM(np.full(4, 0.25), proba, epsilon=1e-8)
    ours = estimate_prior(model, X_new, training_prior=[0.25] * 4, tol=1e-10, max_iter=10000)
    assert_allclose(ours, theirs, atol=1e-5)


def test_bbse_recovers_the_deployment_prior(shifted):
    """Check that BBSE, from the confusion matrix on validation rows, is close too."""
    model, X_new, truth, X_val, y_val = shifted
    estimate = estimate_prior(model, X_new, method="bbse", X_val=X_val, y_val=y_val)
    assert estimate.sum() == pytest.approx(1.0)
    assert (estimate >= 0).all()
    assert np.abs(estimate - truth).sum() <= 0.05


def test_bbse_clips_and_renormalises():
    """Check that a negative least-squares solution is clipped at 0."""
    X_val = np.array([[0.0], [0.1], [1.0], [1.1], [0.2], [0.9]])
    y_val = np.array([0, 0, 1, 1, 1, 0])
    model = LogisticRegression().fit(X_val, [0, 0, 1, 1, 0, 1])
    estimate = estimate_prior(model, np.zeros((20, 1)), method="bbse", X_val=X_val, y_val=y_val)
    assert (estimate >= 0).all() and estimate.sum() == pytest.approx(1.0)
    assert estimate.min() == 0.0


def test_training_prior_read_from_a_balanced_classifier(shifted):
    """Check that None reads effective_prior_ (or target_prior_) of a BalancedClassifier."""
    from skbalance import BalancedClassifier

    rng = np.random.RandomState(1)
    means = rng.normal(0, 1.5, (3, 4))
    X, y = _gaussian_classes([800, 150, 50], rng, means)
    weighted = BalancedClassifier().fit(X, y)
    expected = estimate_prior(weighted, X, training_prior=weighted.effective_prior_)
    assert_allclose(estimate_prior(weighted, X), expected)
    calibrated = BalancedClassifier(prior="train").fit(X, y)
    estimate = estimate_prior(calibrated, X)
    assert_allclose(estimate, estimate_prior(calibrated, X, training_prior=[800, 150, 50]))
    # the training rows themselves: the estimate is near their frequencies
    assert np.abs(estimate - np.array([800, 150, 50]) / 1000).sum() < 0.05


def test_training_prior_from_naive_bayes_and_dicts():
    """Check class_prior_ of naive Bayes, and a dict prior by label."""
    from sklearn.naive_bayes import GaussianNB

    rng = np.random.RandomState(2)
    X, y = _gaussian_classes([300, 100], rng, np.array([[0.0, 0.0], [2.0, 2.0]]))
    labels = np.array(["a", "b"])[y]
    nb = GaussianNB().fit(X, labels)
    assert_allclose(estimate_prior(nb, X), estimate_prior(nb, X, training_prior={"a": 3, "b": 1}))


def test_training_prior_required_when_unknown(shifted):
    """Check that an estimator not exposing its prior needs training_prior."""
    model, X_new, _, _, _ = shifted
    with pytest.raises(ValueError, match="pass training_prior="):
        estimate_prior(model, X_new)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"training_prior": [0.5, 0.5]}, "one value per class"),
        ({"training_prior": [1, -1, 1, 1]}, "non-negative"),
        ({"training_prior": {0: 1, 1: 1}}, r"no value for the classes \[2, 3\]"),
        ({"training_prior": [1] * 4, "X_val": np.zeros((2, 5))}, "bbse' only"),
        ({"method": "bbse"}, "X_val= and y_val="),
        ({"method": "bbse", "training_prior": [1] * 4}, "em' only"),
    ],
    ids=["shape", "negative", "dict-missing", "val-with-em", "bbse-no-val", "bbse-prior"],
)
def test_estimate_prior_bad_arguments(shifted, kwargs, message):
    """Check that bad arguments are a ValueError saying what to do."""
    model, X_new, _, _, _ = shifted
    with pytest.raises(ValueError, match=message):
        estimate_prior(model, X_new, **kwargs)


def test_estimate_prior_needs_a_fitted_estimator():
    """Check that an unfitted estimator is a NotFittedError."""
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        estimate_prior(LogisticRegression(), np.zeros((3, 2)), training_prior=[0.5, 0.5])


def test_em_warns_when_it_runs_out_of_iterations(shifted):
    """Check the ConvergenceWarning when max_iter is too small."""
    from sklearn.exceptions import ConvergenceWarning

    model, X_new, _, _, _ = shifted
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        estimate_prior(model, X_new, training_prior=[0.25] * 4, max_iter=2)


def test_estimate_feeds_the_prior_correction(shifted):
    """Check that correcting to the estimated prior raises accuracy on shifted rows."""
    model, X_new, truth, _, _ = shifted
    y_new = np.repeat(np.arange(4), (truth * 10000).astype(int))
    estimate = estimate_prior(model, X_new, training_prior=[0.25] * 4)
    corrected = correct_prior_shift(model.predict_proba(X_new), [0.25] * 4, estimate)
    before = (model.predict(X_new) == y_new).mean()
    after = (corrected.argmax(axis=1) == y_new).mean()
    assert after > before
