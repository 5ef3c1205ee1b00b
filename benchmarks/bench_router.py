"""Benchmark of SmallClassRouter: the cost of routing.

Run ``python -m benchmarks router [--quick]``. Results (machine info,
settings, median timings and ratios measured in the same run) are written to
``benchmarks/results/router.json`` (``router.quick.json`` with ``--quick``).
Its long-tail scores are the study ``benchmarks/studies/router_quality.py``.

Data: ``make_classification`` with 200,000 rows x 20 features and 10 classes
whose sizes decay exponentially (largest / smallest = 100), standardised; the
router uses ``LogisticRegression`` for both sub-estimators and its default
``max_fraction=0.05``.

- Fit: ``router.fit`` over (the main estimator's fit on the codes the router
  gives it + the secondary estimator's fit on the rare rows it gives it),
  fits interleaved, median of repeats. Target: <= 1.1.
- ``predict_proba``: ``router.predict_proba`` over the fitted main
  estimator's ``predict_proba`` alone (target: <= 1.3), and over main +
  secondary ``predict_proba`` on the rows each one is asked about (the work
  routing cannot avoid), for soft and hard routing.

BLAS and OpenMP run on one thread (threadpoolctl) so that timings on a
shared machine are not dominated by spinning threads. ``--quick`` divides
the data by 10 (a smoke run; its ratios are noisier and are not the
reference numbers).
"""

import argparse
import time

import numpy as np

from benchmarks import _common

NAME = "router"
TITLE = "SmallClassRouter cost: fit and predict_proba vs its sub-estimators"
FIT_TARGET = 1.1
PROBA_TARGET = 1.3


def _lr():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def _long_tailed_data(n_samples, n_features=20, n_classes=10, imbalance_ratio=100):
    """Standardised make_classification data with an exponential long tail."""
    return _common.long_tailed_classification(
        n_samples, n_classes, imbalance_ratio, standardise=True, n_features=n_features,
        n_informative=15, n_redundant=3, n_clusters_per_class=1,
    )


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
    parser.add_argument("--quick", action="store_true", help="10x smaller data, fewer repeats")
    args = parser.parse_args(argv)

    machine = _common.machine_info(threads=1)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        cost = bench_cost(
            20_000 if args.quick else 200_000,
            fit_repeats=3 if args.quick else 5,
            proba_repeats=5 if args.quick else 25,
        )
    report = _common.end_of_run_header(NAME, args.quick, machine, started, cost=cost)
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a router result file: each cost against its target."""
    fit, proba = result["cost"]["fit"], result["cost"]["predict_proba"]
    cases = [_common.target_case("cost / fit", "ratio", fit["ratio"], fit["target"],
                                 fit["meets_target"], "the main + the rare estimator's fits")]
    cases += [
        _common.target_case(f"cost / predict_proba / {routing}", "ratio_over_main_predict_proba",
                            proba[routing]["ratio_over_main_predict_proba"],
                            proba[routing]["target"], proba[routing]["meets_target"],
                            "the fitted main estimator's predict_proba")
        for routing in ("soft", "hard")
    ]  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    return _common.section(NAME, TITLE, result, table, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
