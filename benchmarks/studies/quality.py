"""Quality benchmark: skbalance's strategies against the tools users pick today.

Run ``python benchmarks/bench_quality.py [--quick]`` (or ``python -m
benchmarks --only quality``). Results are written to
``benchmarks/results/quality.{json,csv}`` (``quality_quick.*`` with
``--quick``).

Data (nothing is downloaded):

- the embedded long-tailed digits, ``load_long_tailed_digits`` with imbalance
  ratios 10 and 100;
- ``make_long_tailed`` (exponential profile) of scikit-learn's bundled
  digits (ratios 30, 300), wine (10, 30), breast cancer (10, 50) and iris
  (10, 50);
- ``make_classification`` problems (20 features, 10 informative) with 3 to
  20 classes, sub-sampled by ``make_long_tailed`` to imbalance ratios 10 to
  1000 (about 1,100 to 2,800 rows).

Methods, all cross-validated on the same folds (stratified 5-fold repeated
twice; with ``--quick``, 3-fold once on two small data sets, forests of 50
trees and an EasyEnsemble of 5) through ``skbalance.compare._evaluate``,
which records a method that raises on a fold with its error, as a user would
meet it. Fits run two at a time (``--n-jobs``; one with ``--quick``), each on
one BLAS/OpenMP thread, so a fit-time ratio compares fits made under the same
conditions:

- peers, the way users do it today: ``LogisticRegression`` (standardised)
  plain and with ``class_weight="balanced"``; imbalanced-learn pipelines
  ``make_pipeline(StandardScaler(), SMOTE | RandomOverSampler |
  RandomUnderSampler, LogisticRegression)``; ``RandomForestClassifier``
  plain and balanced; imbalanced-learn's ``BalancedRandomForestClassifier``
  and ``EasyEnsembleClassifier``; ``HistGradientBoostingClassifier(
  class_weight="balanced")``;
- skbalance on the same base estimators: the strategies ``compare`` builds on
  the standardised ``LogisticRegression`` (``BalancedClassifier`` with each
  weighting scheme, with random over/under-sampling and SMOTE,
  ``SmallClassRouter``, ``FocalLossClassifier``), ``BalancedClassifierCV()``,
  and ``BalancedClassifier`` / SMOTE / ``SmallClassRouter`` on the random
  forest.

Reported per data set and averaged over data sets: macro-F1, balanced
accuracy, G-mean (imbalanced-learn's, over the classes of each test fold),
the rank by macro-F1 (a method that fails on a data set takes the last rank
there), the fit-time ratio to the plain estimator of its family (the
standardised ``LogisticRegression`` for linear methods, the plain random
forest for tree ensembles) measured on the same folds in the same run
(averaged over data sets as a geometric mean), and the failures.
"""

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from benchmarks import _common

NAME = "quality"
METRICS = ("f1_macro", "balanced_accuracy", "gmean")
SEED = 0

#: Real data sets: (loader name, imbalance ratios for make_long_tailed).
REAL = {"digits": (30, 300), "wine": (10, 30), "breast_cancer": (10, 50), "iris": (10, 50)}
#: Synthetic problems: (n_classes, imbalance ratio, rows of the largest class).
SYNTHETIC = [(3, 10, 800), (3, 1000, 2000), (5, 100, 1000), (10, 100, 800),
             (10, 1000, 1500), (20, 100, 600)]  # fmt: skip
#: The data sets of a quick run.
QUICK_DATASETS = ("wine-LT ir=10", "iris-LT ir=10")


def load_datasets(quick=False, names=None):
    """The benchmark data sets, by name: ``(X, y, description)``.

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


def build_methods(names=None, n_estimators=100, n_ensemble=10):
    """The compared methods, by name: ``{"estimator", "library", "family"}``.

    ``family`` is the plain estimator the fit-time ratio refers to:
    ``"lr"`` (standardised LogisticRegression) or ``"rf"`` (random forest).
    """
    from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.pipeline import make_pipeline as imb_pipeline
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skbalance import BalancedClassifier, BalancedClassifierCV, SmallClassRouter
    from skbalance.compare import _default_strategies

    def lr(**params):
        return LogisticRegression(max_iter=1000, **params)

    def rf(**params):
        return RandomForestClassifier(n_estimators=n_estimators, random_state=SEED, **params)

    methods = {}

    def add(name, estimator, library, family):
        methods[name] = {"estimator": estimator, "library": library, "family": family}

    add("LR", make_pipeline(StandardScaler(), lr()), "scikit-learn", "lr")
    add("LR class_weight=balanced", make_pipeline(StandardScaler(), lr(class_weight="balanced")),
        "scikit-learn", "lr")  # fmt: skip
    for label, sampler in (
        ("SMOTE", SMOTE(random_state=SEED)),
        ("RandomOverSampler", RandomOverSampler(random_state=SEED)),
        ("RandomUnderSampler", RandomUnderSampler(random_state=SEED)),
    ):
        add(f"imblearn {label}+LR", imb_pipeline(StandardScaler(), sampler, lr()),
            "imbalanced-learn", "lr")  # fmt: skip
    linear = _default_strategies(make_pipeline(StandardScaler(), lr()), SEED)
    for strategy, estimator in linear.items():
        if strategy != "plain":  # the same model as "LR"
            add(f"skb LR {strategy}", estimator, "skbalance", "lr")
    add("skb BalancedClassifierCV", BalancedClassifierCV(random_state=SEED), "skbalance", "lr")

    add("RF", rf(), "scikit-learn", "rf")
    add("RF class_weight=balanced", rf(class_weight="balanced"), "scikit-learn", "rf")
    add("imblearn BalancedRandomForest",
        BalancedRandomForestClassifier(n_estimators=n_estimators, random_state=SEED),
        "imbalanced-learn", "rf")  # fmt: skip
    add("imblearn EasyEnsemble", EasyEnsembleClassifier(n_ensemble, random_state=SEED),
        "imbalanced-learn", "rf")  # fmt: skip
    add("HGB class_weight=balanced",
        HistGradientBoostingClassifier(class_weight="balanced", random_state=SEED),
        "scikit-learn", "rf")  # fmt: skip
    add("skb RF weight:balanced", BalancedClassifier(rf(), random_state=SEED), "skbalance", "rf")
    add("skb RF sampler:smote",
        BalancedClassifier(rf(), weighting=None, sampler=SMOTE(random_state=SEED),
                           random_state=SEED),
        "skbalance", "rf")  # fmt: skip
    add("skb RF router",
        SmallClassRouter(BalancedClassifier(rf(), random_state=SEED),
                         BalancedClassifier(rf(), random_state=SEED)),
        "skbalance", "rf")  # fmt: skip
    if names is not None:
        unknown = sorted(set(names) - set(methods))
        if unknown:
            raise ValueError(f"Unknown methods {unknown}; choose among {list(methods)}.")
        methods = {name: methods[name] for name in names}
    return methods


def make_folds(X, y, n_splits, n_repeats):
    """Stratified ``n_splits``-fold CV repeated ``n_repeats`` times.

    Repeat ``r`` is ``StratifiedKFold(n_splits, shuffle=True,
    random_state=r)``, so the first repeat is exactly the folds of
    ``compare(cv=n_splits, random_state=0)`` and of the selection benchmark.
    """
    from skbalance.compare import _make_folds

    return [fold for r in range(n_repeats) for fold in _make_folds(X, y, n_splits, SEED + r)]


def evaluate_dataset(X, y, methods, folds, n_jobs=None):
    """Per-fold scores of every method on one data set (failures recorded)."""
    from skbalance.compare import _evaluate

    strategies = {name: spec["estimator"] for name, spec in methods.items()}
    return _evaluate(strategies, X, y, folds, METRICS, n_jobs)


def summarise_dataset(dataset, fold_scores, classes, methods):
    """One row per method for one data set, with rank and fit-time ratio."""
    from skbalance.compare import _summarise

    summary = _summarise(fold_scores, classes).set_index("strategy")
    # a fold whose fit failed has no time; the ratio uses the folds both ran
    fit_times = fold_scores.pivot(index="fold", columns="strategy", values="fit_time")
    scores = summary["f1_macro_mean"].reindex(list(methods)).fillna(-np.inf)
    # failures rank last (tied); ties share the mean of their ranks
    ranks = scores.rank(ascending=False, method="average")
    best = scores.max()
    rows = []
    for name, spec in methods.items():
        row = summary.loc[name]
        reference = {"lr": "LR", "rf": "RF"}[spec["family"]]
        ratio = np.nan
        if name == reference:
            ratio = 1.0
        elif reference in fit_times and row["error"] is None:
            both = fit_times[[name, reference]].dropna()
            if len(both):
                ratio = both[name].mean() / both[reference].mean()
        failed_folds = int(fold_scores.loc[fold_scores["strategy"] == name, "error"].notna().sum())
        rows.append(
            {
                "dataset": dataset,
                "method": name,
                "library": spec["library"],
                "family": spec["family"],
                **{
                    f"{metric}_{stat}": row[f"{metric}_{stat}"]
                    for metric in METRICS
                    for stat in ("mean", "std")
                },
                "rank": float(ranks[name]),
                "best": bool(np.isfinite(best) and scores[name] >= best - 1e-12),
                "fit_time_mean": row["fit_time_mean"],
                "fit_time_ratio": ratio,
                "fit_time_reference": reference,
                "failed_folds": failed_folds,
                "error": row["error"],
            }
        )
    return rows


def aggregate(rows, methods):
    """Averages over data sets, one row per method, best mean rank first."""
    frame = pd.DataFrame(rows)
    n_datasets = frame["dataset"].nunique()
    out = []
    for name, spec in methods.items():
        own = frame[frame["method"] == name]
        ok = own[own["error"].isna()]
        failed = own[own["error"].notna()]
        out.append(
            {
                "method": name,
                "library": spec["library"],
                "family": spec["family"],
                "f1_macro": ok["f1_macro_mean"].mean(),
                "balanced_accuracy": ok["balanced_accuracy_mean"].mean(),
                "gmean": ok["gmean_mean"].mean(),
                "mean_rank": own["rank"].mean(),
                "wins": int(own["best"].sum()),
                "fit_time_ratio": _common.geometric_mean(ok["fit_time_ratio"].tolist()),
                "fit_time_reference": {"lr": "LR", "rf": "RF"}[spec["family"]],
                "n_datasets": int(n_datasets),
                "n_failed": int(len(failed)),
                "failed_on": "; ".join(failed["dataset"]),
                "first_error": failed["error"].iloc[0] if len(failed) else None,
            }
        )
    out = pd.DataFrame(out).sort_values(["mean_rank", "f1_macro"], ascending=[True, False])
    return out.to_dict(orient="records")


def run(quick=False, datasets=None, methods=None, n_jobs=None, n_splits=None, n_repeats=None,
        output=None, csv_output=None, n_estimators=None):  # fmt: skip
    """Run the benchmark; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    from skbalance._validation import _encode_labels

    started = time.perf_counter()
    n_splits = n_splits or (3 if quick else 5)
    if n_jobs is None:
        # two single-threaded fits at a time; on the small data of a quick run
        # the workers' start-up costs more than they save
        n_jobs = 1 if quick else 2
    n_repeats = n_repeats or (1 if quick else 2)
    n_estimators = n_estimators or (50 if quick else 100)
    n_ensemble = 5 if quick else 10
    specs = build_methods(methods, n_estimators=n_estimators, n_ensemble=n_ensemble)
    machine = _common.machine_info()
    data = load_datasets(quick, datasets)
    rows, data_info = [], {}
    # one BLAS/OpenMP thread per fit: on a shared machine, thread pools
    # oversubscribed by other processes slow some fits 10-100x at random
    # (joblib's workers get the same limit from joblib itself)
    limits = threadpool_limits(limits=1)
    for dataset, (X, y, description) in data.items():
        t0 = time.perf_counter()
        folds = make_folds(X, y, n_splits, n_repeats)
        classes, codes = _encode_labels(np.asarray(y))
        fold_scores = evaluate_dataset(X, y, specs, folds, n_jobs)
        rows.extend(summarise_dataset(dataset, fold_scores, classes, specs))
        data_info[dataset] = {
            "description": description,
            "n_samples": int(X.shape[0]),
            "n_features": int(X.shape[1]),
            "class_counts": np.bincount(codes).tolist(),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        best = max((r for r in rows if r["dataset"] == dataset and r["error"] is None),
                   key=lambda r: r["f1_macro_mean"], default=None)  # fmt: skip
        print(
            f"{dataset:<22} {X.shape[0]:>5} rows, {len(classes):>2} classes: "
            f"{time.perf_counter() - t0:6.1f}s, best {best and best['method']}",
            flush=True,
        )
    limits.restore_original_limits()
    summary = aggregate(rows, specs)
    report = _common.end_of_run_header(
        "bench_quality",
        quick,
        machine,
        started,
        settings={
            "cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=r) for r in "
            f"range({n_repeats}); the same folds for every method",
            "n_jobs": n_jobs,
            "metrics": "per test fold over the classes it contains (skbalance.compare)",
            "rank": "by mean macro-F1 per data set, 1 = best, ties share the mean rank; "
            "a failed method ranks last; wins: data sets where it has the best macro-F1 "
            "(ties included)",
            "fit_time_ratio": "mean fit time over the folds / that of the plain estimator "
            "of its family (LR or RF) on the same folds; geometric mean over data sets",
            "random_forest_n_estimators": n_estimators,
            "easy_ensemble_n_estimators": n_ensemble,
            "threads": "1 BLAS/OpenMP thread per fit (threadpoolctl)",
        },
        methods={
            name: {**{key: spec[key] for key in ("library", "family")},
                   "estimator": repr(spec["estimator"])}
            for name, spec in specs.items()
        },
        datasets=data_info,
        summary=summary,
        results=rows,
    )
    _common.write_json(output or _common.result_path(NAME, quick), report)
    _common.write_csv(csv_output or _common.result_path(NAME, quick, ".csv"), rows)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 small data sets, 3 folds")
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--methods", nargs="+", default=None, help="only these methods")
    parser.add_argument("--n-jobs", type=int, default=None, help="parallel fits (joblib); default 2, 1 with --quick")
    parser.add_argument("--folds", type=int, default=None, help="folds per repeat")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of the CV")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--list", action="store_true", help="list data sets and methods")
    args = parser.parse_args(argv)
    if args.list:
        print("data sets:", *load_datasets(False), sep="\n  ")
        print("methods:", *build_methods(), sep="\n  ")
        return None
    return run(args.quick, args.datasets, args.methods, args.n_jobs, args.folds, args.repeats,
               args.output, args.csv)  # fmt: skip


if __name__ == "__main__":
    main()
