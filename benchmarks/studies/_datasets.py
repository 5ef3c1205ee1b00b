"""The data sets, folds and fold metrics the quality studies share.

Nothing is downloaded:

- the embedded long-tailed digits, ``load_long_tailed_digits`` with imbalance
  ratios 10 and 100;
- ``make_long_tailed`` (exponential profile) of scikit-learn's bundled
  digits (ratios 30, 300), wine (10, 30), breast cancer (10, 50) and iris
  (10, 50);
- ``make_classification`` problems (20 features, 10 informative) with 3 to
  20 classes, sub-sampled by ``make_long_tailed`` to imbalance ratios 10 to
  1000 (about 1,100 to 2,800 rows).
"""

import numpy as np

SEED = 0
METRICS = ("f1_macro", "balanced_accuracy", "gmean")
#: Real data sets: (loader name, imbalance ratios for make_long_tailed).
REAL = {"digits": (30, 300), "wine": (10, 30), "breast_cancer": (10, 50), "iris": (10, 50)}
#: Synthetic problems: (n_classes, imbalance ratio, rows of the largest class).
SYNTHETIC = [(3, 10, 800), (3, 1000, 2000), (5, 100, 1000), (10, 100, 800),
             (10, 1000, 1500), (20, 100, 600)]  # fmt: skip
#: The data sets of a quick run.
QUICK_DATASETS = ("wine-LT ir=10", "iris-LT ir=10")


def load_datasets(quick=False, names=None):
    """The data sets, by name: ``(X, y, description)``.

    Parameters
    ----------
    quick : bool
        Only the data sets of a quick run.
    names : sequence of str, default=None
        Only these data sets (overrides ``quick``).
    """
    from sklearn import datasets as skdatasets

    from skbalance.datasets import load_long_tailed_digits, make_long_tailed

    builders = {}
    for ratio in (10, 100):
        builders[f"digits-LT ir={ratio}"] = lambda ratio=ratio: (
            *load_long_tailed_digits(imbalance_ratio=ratio, random_state=SEED, return_X_y=True),
            f"load_long_tailed_digits(imbalance_ratio={ratio}, random_state={SEED})",
        )
    for loader, ratios in REAL.items():
        for ratio in ratios:

            def build(loader=loader, ratio=ratio):
                X, y = getattr(skdatasets, f"load_{loader}")(return_X_y=True)
                X, y = make_long_tailed(X, y, ratio, random_state=SEED)
                return X, y, f"make_long_tailed(load_{loader}(), {ratio}, random_state={SEED})"

            builders[f"{loader.replace('_', '-')}-LT ir={ratio}"] = build
    for n_classes, ratio, n_max in SYNTHETIC:
        builders[f"synth k={n_classes} ir={ratio}"] = (
            lambda k=n_classes, r=ratio, n=n_max: _synthetic(k, r, n)
        )
    if names is None:
        names = QUICK_DATASETS if quick else list(builders)
    unknown = sorted(set(names) - set(builders))
    if unknown:
        raise ValueError(f"Unknown data sets {unknown}; choose among {list(builders)}.")
    return {name: builders[name]() for name in names}


def _synthetic(n_classes, ratio, n_max):
    """``make_classification`` with balanced classes, then a long tail."""
    from sklearn.datasets import make_classification

    from skbalance.datasets import make_long_tailed

    X, y = make_classification(
        n_samples=n_classes * (n_max + 20),
        n_features=20,
        n_informative=10,
        n_redundant=4,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=SEED,
    )
    X, y = make_long_tailed(X, y, ratio, random_state=SEED)
    description = (
        f"make_classification({len(y)} rows kept, 20 features, 10 informative, "
        f"{n_classes} classes) + make_long_tailed(imbalance_ratio={ratio})"
    )
    return X, y, description


def make_folds(X, y, n_splits, n_repeats=1):
    """Stratified ``n_splits``-fold CV repeated ``n_repeats`` times, as index pairs.

    Repeat ``r`` is ``StratifiedKFold(n_splits, shuffle=True,
    random_state=r)``, so the first repeat is exactly the folds of
    ``compare(cv=n_splits, random_state=0)``; every study uses these folds.
    """
    import warnings

    from sklearn.model_selection import StratifiedKFold

    with warnings.catch_warnings():  # classes smaller than the folds are expected
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        return [
            fold
            for r in range(n_repeats)
            for fold in StratifiedKFold(n_splits, shuffle=True, random_state=SEED + r).split(X, y)
        ]


def fold_metrics(y_true, y_pred, metrics=METRICS):
    """The metrics of one test fold, over the classes it contains, as ``compare`` scores them.

    Macro-F1 (``zero_division=0``), balanced accuracy (mean recall) and
    imbalanced-learn's G-mean with ``correction=0.001`` for a zero recall.
    """
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import f1_score, recall_score

    present = np.unique(y_true)
    functions = {
        "f1_macro": lambda: f1_score(
            y_true, y_pred, labels=present, average="macro", zero_division=0
        ),
        "balanced_accuracy": lambda: recall_score(
            y_true, y_pred, labels=present, average="macro", zero_division=0
        ),
        "gmean": lambda: geometric_mean_score(
            y_true, y_pred, labels=present, average="multiclass", correction=0.001
        ),
    }
    return {metric: float(functions[metric]()) for metric in metrics}
