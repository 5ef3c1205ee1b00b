"""Tests of the prior-shift correction of predicted probabilities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from skbalance.priors import correct_prior_shift

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
