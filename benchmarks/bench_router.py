"""Benchmark of SmallClassRouter: long-tail scores and the cost of routing.

Run ``python benchmarks/bench_router.py [--quick]``. Results (machine info,
settings, scores, median timings and ratios measured in the same run) are
written to ``benchmarks/results/router.json`` (``router_quick.json`` with
``--quick``).

1. Quality on the embedded long-tailed digits
   (``load_long_tailed_digits(imbalance_ratio=100, random_state=0)``: 427
   rows, class sizes 174 down to 1). Every model is
   ``make_pipeline(StandardScaler(), ...)`` around the same base estimator,
   ``LogisticRegression(max_iter=1000)``: plain, wrapped in
   ``BalancedClassifier``, and ``SmallClassRouter`` (soft and hard routing)
   with plain and with ``BalancedClassifier`` sub-estimators. The same
   comparison (without the balanced routers) is repeated, as an extra, for
   ``SVC(probability=True)`` and a random forest, since whether grouping the
   rare classes helps depends on the base estimator. Stratified
   5-fold CV, repeated 3 times (with ``--quick``: once, and without the
   extra base estimators). The smallest class
   has a single row, so scikit-learn warns that it cannot be stratified and
   it appears in one test fold per repeat; the warnings are counted, not
   hidden. Reported: per-fold mean and std of macro-F1, balanced accuracy and
   G-mean (imbalanced-learn's ``geometric_mean_score``, multiclass, over the
   classes present in the fold), and the same metrics pooled over the
   out-of-fold predictions of each repeat (every class is present there).
   A class with recall 0 makes the G-mean 0 (the single digit 9 is never
   recognised out of fold, so the pooled G-mean is 0 for every model), so
   ``gmean_corrected`` (``correction=0.01``: a zero recall counts as 0.01)
   is reported too, to rank the models.
2. Cost on ``make_classification`` with 200,000 rows x 20 features and 10
   classes whose sizes decay exponentially (largest / smallest = 100),
   standardised; the router uses ``LogisticRegression`` for both
   sub-estimators and its default ``max_fraction=0.05``.

   - Fit: ``router.fit`` over (the main estimator's fit on the codes the
     router gives it + the secondary estimator's fit on the rare rows it
     gives it), fits interleaved, median of repeats. Target: <= 1.1.
   - ``predict_proba``: ``router.predict_proba`` over the fitted main
     estimator's ``predict_proba`` alone (target: <= 1.3), and over main +
     secondary ``predict_proba`` on the rows each one is asked about (the
     work routing cannot avoid), for soft and hard routing.

BLAS and OpenMP run on one thread (threadpoolctl) so that timings on a
shared machine are not dominated by spinning threads. ``--quick`` divides
the timing data by 10 (a smoke run; its ratios are noisier and are not the
reference numbers).
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks import _common

FIT_TARGET = 1.1
PROBA_TARGET = 1.3


def _lr():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def _svc():
    from sklearn.svm import SVC

    return SVC(probability=True, random_state=0)


def _forest():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=200, random_state=0)


def _models(base, with_balanced_router=True):
    """The strategies built on ``base`` (a factory), by name, each after a StandardScaler."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skbalance.classifier import BalancedClassifier
    from skbalance.router import SmallClassRouter

    def scaled(estimator):
        return make_pipeline(StandardScaler(), estimator)

    models = {
        "plain": scaled(base()),
        "balanced_classifier": scaled(BalancedClassifier(base())),
        "router_soft": scaled(SmallClassRouter(base(), base())),
        "router_hard": scaled(SmallClassRouter(base(), base(), routing="hard")),
    }
    if with_balanced_router:
        models["router_soft_balanced"] = scaled(
            SmallClassRouter(BalancedClassifier(base()), BalancedClassifier(base()))
        )
        models["router_hard_balanced"] = scaled(
            SmallClassRouter(
                BalancedClassifier(base()), BalancedClassifier(base()), routing="hard"
            )
        )
    return models


def _scores(y_true, y_pred):
    """Macro-F1, balanced accuracy and G-mean over the classes present in ``y_true``."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import balanced_accuracy_score, f1_score

    present = np.unique(y_true)
    return {
        "f1_macro": f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "gmean": geometric_mean_score(y_true, y_pred, labels=present, average="multiclass"),
        "gmean_corrected": geometric_mean_score(
            y_true, y_pred, labels=present, average="multiclass", correction=0.01
        ),
    }


def _cross_validate(model, X, y, n_repeats):
    """Per-fold mean/std and pooled out-of-fold scores of ``model``."""
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    folds, pooled, fit_seconds, n_warnings = [], [], [], 0
    for repeat in range(n_repeats):
        cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=repeat)
        oof = np.empty_like(y)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for train, test in cv.split(X, y):
                start = time.perf_counter()
                fitted = clone(model).fit(X[train], y[train])
                fit_seconds.append(time.perf_counter() - start)
                oof[test] = fitted.predict(X[test])
                folds.append(_scores(y[test], oof[test]))
        n_warnings += len(caught)
        pooled.append(_scores(y, oof))
    return {
        **{
            f"{metric}_{stat}": round(float(func([f[metric] for f in folds])), 4)
            for metric in folds[0]
            for stat, func in (("mean", np.mean), ("std", np.std))
        },
        **{
            f"{metric}_pooled": round(float(np.mean([p[metric] for p in pooled])), 4)
            for metric in pooled[0]
        },
        "fit_time_mean": round(float(np.mean(fit_seconds)), 4),
        "warnings": n_warnings,
    }


def bench_quality(n_repeats, extras=True):
    """Scores of each strategy on the long-tailed digits, for each base estimator.

    ``extras=False`` leaves out the extra base estimators (SVC, random forest).
    """
    from skbalance.datasets import load_long_tailed_digits

    X, y = load_long_tailed_digits(imbalance_ratio=100, random_state=0, return_X_y=True)
    bases = {
        "logistic_regression": (_lr, True),
        "svc_probability": (_svc, False),
        "random_forest": (_forest, False),
    }
    if not extras:
        bases = {"logistic_regression": bases["logistic_regression"]}
    results = {}
    for base_name, (base, with_balanced_router) in bases.items():
        results[base_name] = {}
        for name, model in _models(base, with_balanced_router).items():
            scores = _cross_validate(model, X, y, n_repeats)
            results[base_name][name] = scores
            print(
                f"  {base_name:20s} {name:22s} "
                + "  ".join(f"{k}={v}" for k, v in scores.items() if k.endswith("pooled"))
            )
    ranking = {
        base_name: sorted(scores, key=lambda name: -scores[name]["f1_macro_pooled"])
        for base_name, scores in results.items()
    }
    return {
        "data": "load_long_tailed_digits(imbalance_ratio=100, random_state=0)",
        "class_counts": np.bincount(y).tolist(),
        "cv": f"StratifiedKFold(5, shuffle=True, random_state=repeat), {n_repeats} repeat(s)",
        "base_estimators": list(bases),
        "models": (
            "make_pipeline(StandardScaler(), M) with M the base estimator (plain), "
            "BalancedClassifier(base), SmallClassRouter(base, base) soft/hard, and for "
            "logistic regression SmallClassRouter(BalancedClassifier(base), "
            "BalancedClassifier(base)) soft/hard. Required comparison: "
            "logistic_regression = LogisticRegression(max_iter=1000); the others are "
            "extra: SVC(probability=True, random_state=0) and "
            "RandomForestClassifier(n_estimators=200, random_state=0)."
        ),
        "ranking_by_pooled_f1_macro": ranking,
        "scores": results,
    }


def _long_tailed_data(n_samples, n_features=20, n_classes=10, imbalance_ratio=100):
    """Standardised make_classification data with an exponential long tail."""
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=15,
        n_redundant=3,
        n_classes=n_classes,
        n_clusters_per_class=1,
        weights=_common.long_tailed_shares(n_classes, imbalance_ratio),
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


def bench_fit_cost(X, y, repeats):
    """Router fit time over the two sub-fits on the same rows, interleaved."""
    from skbalance.router import SmallClassRouter

    router = SmallClassRouter(_lr(), _lr()).fit(X, y)
    is_rare = np.isin(y, router.rare_classes_)
    frequent = np.setdiff1d(router.classes_, router.rare_classes_)
    y_main = np.where(is_rare, len(frequent), np.searchsorted(frequent, y))
    rows = np.flatnonzero(is_rare)
    fits = {
        "router": lambda: SmallClassRouter(_lr(), _lr()).fit(X, y),
        "main": lambda: _lr().fit(X, y_main),
        "rare": lambda: _lr().fit(X[rows], y[rows]),
    }
    medians, _ = _common.median_times(fits, repeats, warm_up=False)
    router_s, main_s, rare_s = (medians[k] for k in ("router", "main", "rare"))
    ratio = router_s / (main_s + rare_s)
    return router, {
        "rare_classes": router.rare_classes_.tolist(),
        "rare_rows": int(rows.size),
        "router_fit_seconds": round(router_s, 4),
        "main_fit_seconds": round(main_s, 4),
        "rare_fit_seconds": round(rare_s, 4),
        "ratio": round(ratio, 3),
        "target": FIT_TARGET,
        "meets_target": bool(ratio <= FIT_TARGET),
        "repeats": repeats,
    }


def bench_proba_cost(router, X, repeats):
    """predict_proba of the router (soft, hard) over its sub-estimators' own calls."""
    main, rare = router.main_estimator_, router.rare_estimator_
    meta = len(router.classes_) - len(router.rare_classes_)
    routed = np.flatnonzero(np.argmax(main.predict_proba(X), axis=1) == meta)
    X_routed = X[routed]
    calls = {
        "main": lambda: main.predict_proba(X),
        "rare_all_rows": lambda: rare.predict_proba(X),
        "rare_routed_rows": lambda: rare.predict_proba(X_routed),
        "soft": lambda: router.set_params(routing="soft").predict_proba(X),
        "hard": lambda: router.set_params(routing="hard").predict_proba(X),
    }
    t, _ = _common.median_times(calls, repeats, warm_up=False)
    router.set_params(routing="soft")
    result = {"seconds": {name: round(value, 5) for name, value in t.items()}}
    for routing, rare_key in (("soft", "rare_all_rows"), ("hard", "rare_routed_rows")):
        over_main = t[routing] / t["main"]
        result[routing] = {
            "ratio_over_main_predict_proba": round(over_main, 3),
            "target": PROBA_TARGET,
            "meets_target": bool(over_main <= PROBA_TARGET),
            "ratio_over_main_plus_rare_predict_proba": round(
                t[routing] / (t["main"] + t[rare_key]), 3
            ),
        }
    result["routed_rows_hard"] = int(routed.size)
    result["repeats"] = repeats
    return result


def bench_cost(n_samples, fit_repeats, proba_repeats):
    X, y = _long_tailed_data(n_samples)
    router, fit = bench_fit_cost(X, y, fit_repeats)
    print(f"  fit: {fit}")
    proba = bench_proba_cost(router, X, proba_repeats)
    print(f"  predict_proba: {proba}")
    return {
        "data": (
            f"make_classification({n_samples} x 20, 10 classes, exponential tail, "
            "imbalance ratio 100), standardised"
        ),
        "class_counts": np.bincount(y).tolist(),
        "estimators": "SmallClassRouter(LogisticRegression(max_iter=1000), same)",
        "fit": fit,
        "predict_proba": proba,
    }


def main(argv=None):
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 CV repeat, LR only, 10x smaller timing data")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)

    machine = _common.machine_info(threads=1)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        print("quality on long-tailed digits")
        quality = bench_quality(n_repeats=1 if args.quick else 3, extras=not args.quick)
        print("cost on make_classification")
        cost = bench_cost(
            20_000 if args.quick else 200_000,
            fit_repeats=3 if args.quick else 5,
            proba_repeats=5 if args.quick else 25,
        )
    report = _common.end_of_run_header(
        "bench_router", args.quick, machine, started, long_tail_digits=quality, cost=cost
    )
    _common.write_json(args.output or _common.result_path("router", args.quick), report)
    return report


if __name__ == "__main__":
    main()
