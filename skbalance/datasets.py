"""Long-tailed data sets built from data that ships with scikit-learn."""

from numbers import Real

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch, check_random_state

from ._sklearn_compat import Interval, StrOptions, _safe_indexing, validate_params
from ._validation import _check_at_least_two_classes, _check_labels, _encode_labels

__all__ = ["PROFILES", "make_long_tailed", "load_long_tailed_digits"]

#: Names of the class-size profiles of :func:`make_long_tailed`.
PROFILES = ("exponential", "step", "linear")


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "imbalance_ratio": [Interval(Real, 1, None, closed="left")],
        "profile": [StrOptions(set(PROFILES))],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_long_tailed(X, y, imbalance_ratio=100, profile="exponential", random_state=None):
    """Sub-sample a data set so that its class sizes follow a long tail.

    This is the protocol of the CIFAR-10-LT / CIFAR-100-LT benchmarks: with
    ``k`` classes in sorted label order and ``n_max`` the size of the smallest
    class of the input (so that every target size is available), class ``i``
    keeps ``floor(n_max * imbalance_ratio ** (-i / (k - 1)))`` rows (at least
    one) for the ``"exponential"`` profile.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Features; a DataFrame stays a DataFrame.
    y : array-like of shape (n_samples,)
        Class labels, at least two classes.
    imbalance_ratio : float >= 1, default=100
        Size of the largest class over the size of the smallest one.
    profile : {"exponential", "step", "linear"}, default="exponential"
        How sizes decay from the first to the last class: exponentially, in
        one step (the first half of the classes keep ``n_max`` rows, the
        others ``n_max / imbalance_ratio``, as in Cao et al. 2019), or
        linearly.
    random_state : int, RandomState instance or None, default=None
        Seeds which rows are kept.

    Returns
    -------
    X_long_tailed : {ndarray, sparse matrix, DataFrame}
        The kept rows of ``X``, in their original order.
    y_long_tailed : ndarray or Series
        Their labels.

    See Also
    --------
    load_long_tailed_digits : This protocol applied to scikit-learn's digits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from skbalance.datasets import make_long_tailed
    >>> X, y = load_iris(return_X_y=True)
    >>> X_lt, y_lt = make_long_tailed(X, y, imbalance_ratio=10, random_state=0)
    >>> np.bincount(y_lt)
    array([50, 15,  5])
    """
    labels = _check_labels(y)
    if labels.shape[0] != _num_rows(X):
        raise ValueError(
            f"X and y have different numbers of rows: {_num_rows(X)} and {labels.shape[0]}."
        )
    classes, codes = _encode_labels(labels)
    _check_at_least_two_classes(classes)
    counts = np.bincount(codes)
    sizes = _long_tail_sizes(counts.min(), len(classes), imbalance_ratio, profile)
    rng = check_random_state(random_state)
    keep = np.concatenate(
        [
            rng.choice(np.flatnonzero(codes == c), size, replace=False)
            for c, size in enumerate(sizes)
        ]
    )
    keep.sort()
    return _safe_indexing(X, keep), _safe_indexing(y, keep)


@validate_params(
    {
        "imbalance_ratio": [Interval(Real, 1, None, closed="left")],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_long_tailed_digits(imbalance_ratio=100, random_state=0, return_X_y=False):
    """Load scikit-learn's digits, sub-sampled to an exponential long tail.

    Ten classes (digits 0 to 9) whose sizes decay exponentially from digit 0
    to digit 9, by a factor ``imbalance_ratio`` overall (see
    :func:`make_long_tailed`). Built from the copy of the UCI digits that
    ships with scikit-learn, so nothing is downloaded.

    Parameters
    ----------
    imbalance_ratio : float >= 1, default=100
        Size of the largest class over the size of the smallest one.
    random_state : int, RandomState instance or None, default=0
        Seeds which rows are kept.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (n_samples, 64) pixel intensities in 0..16, ``target``
        (n_samples,) digit labels, ``feature_names``, ``target_names``,
        ``class_counts`` (rows per digit) and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True
        The features and labels.

    See Also
    --------
    make_long_tailed : The same protocol on any data.
    sklearn.datasets.load_digits : The balanced original.

    Examples
    --------
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> digits = load_long_tailed_digits()
    >>> digits.data.shape
    (427, 64)
    >>> digits.class_counts.tolist()
    [174, 104, 62, 37, 22, 13, 8, 4, 2, 1]
    """
    original = load_digits()
    X, y = make_long_tailed(
        original.data, original.target, imbalance_ratio, random_state=random_state
    )
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        feature_names=original.feature_names,
        target_names=original.target_names,
        class_counts=np.bincount(y, minlength=len(original.target_names)),
        DESCR=(
            "Long-tailed digits: scikit-learn's 8x8 digits (UCI) sub-sampled so "
            f"that class sizes decay exponentially from digit 0 to digit 9 with "
            f"an imbalance ratio of {imbalance_ratio}."
        ),
    )


def _long_tail_sizes(n_max, n_classes, imbalance_ratio, profile):
    """Target size of each class, largest first (at least one row each)."""
    position = np.arange(n_classes) / (n_classes - 1)
    if profile == "exponential":
        fraction = imbalance_ratio ** (-position)
    elif profile == "step":
        fraction = np.where(np.arange(n_classes) < n_classes / 2, 1.0, 1.0 / imbalance_ratio)
    else:
        fraction = 1.0 - position * (1.0 - 1.0 / imbalance_ratio)
    return np.maximum(np.floor(n_max * fraction + 1e-9), 1).astype(np.intp)


def _num_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)
