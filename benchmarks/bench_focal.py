"""Benchmark of FocalLossClassifier: fit time and long-tail scores.

Run ``python -m benchmarks focal [--quick]``. Results (machine info,
timings, ratios measured in the same run, and cross-validated scores) are
written to ``benchmarks/results/focal.json`` (``focal.quick.json`` with
``--quick``).

1. Fit time of ``FocalLossClassifier(gamma=2)`` (and ``gamma=0``) over that of
   ``LogisticRegression`` (lbfgs) on ``make_classification`` with 100,000
   rows x 50 features, 10 classes whose sizes decay exponentially so that the
   largest over the smallest is 50, standardised. Both use the same stopping
   rule (``tol=1e-6``, ``max_iter=1000``, FocalLossClassifier's defaults);
   fits are interleaved and the median of 3 repeats is reported. Target:
   ratio <= 3. It is measured twice: with the libraries' default threads
   (OpenMP and BLAS on every core) and on one thread (``threadpoolctl``),
   which compares the implementations and is robust to other processes
   loading the machine. The time per L-BFGS iteration is reported too, as
   the number of iterations depends on the loss, not on the implementation.
2. Macro-F1 and balanced accuracy (stratified 5-fold CV) on the embedded
   long-tailed digits (``load_long_tailed_digits(imbalance_ratio=100)``:
   427 rows, class sizes 174 down to 1), for ``gamma`` in {0, 1, 2, 5},
   against ``LogisticRegression(class_weight="balanced")``; every model is a
   ``make_pipeline(StandardScaler(), ...)``.

``--quick`` divides the timing data by 20, times each fit once and only on
one thread (with the default threads a fit on a busy 2-core machine can take
ten times longer at random): a smoke run, its ratios are noisier and are not
the reference numbers; the CV part is the same.
"""

import argparse
import gc
import time
import warnings

import numpy as np

from benchmarks import _common

NAME = "focal"
TITLE = "FocalLossClassifier fit time and long-tail scores"

GAMMAS = (0.0, 1.0, 2.0, 5.0)


def _timing_data(n_samples, n_features=50, n_classes=10, imbalance_ratio=50):
    """Standardised make_classification data with a long tail of classes."""
    return _common.long_tailed_classification(
        n_samples, n_classes, imbalance_ratio, standardise=True, n_features=n_features,
        n_informative=30, n_redundant=10,
    )


def _timed_fit(estimator, X, y):
    """Fit ``estimator``; return (seconds, iterations, converged)."""
    from sklearn.exceptions import ConvergenceWarning

    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start = time.perf_counter()
        estimator.fit(X, y)
        seconds = time.perf_counter() - start
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return seconds, int(np.ravel(estimator.n_iter_)[0]), converged


def bench_fit_time(X, y, repeats, threads):
    """Part 1: fit-time ratios against LogisticRegression, fits interleaved.

    ``threads`` is None (the libraries' defaults: OpenMP and BLAS use every
    core) or 1 (``threadpoolctl`` limits both to one thread: the comparison of
    the implementations, robust to other processes loading the machine).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    from threadpoolctl import threadpool_limits

    from skbalance.focal import FocalLossClassifier

    models = {
        "logistic_regression": LogisticRegression(tol=1e-6, max_iter=1000),
        "focal_gamma_0": FocalLossClassifier(gamma=0.0, tol=1e-6, max_iter=1000),
        "focal_gamma_2": FocalLossClassifier(gamma=2.0, tol=1e-6, max_iter=1000),
    }
    runs = {name: [] for name in models}
    with threadpool_limits(limits=threads):
        for _ in range(repeats):
            for name, model in models.items():
                runs[name].append(_timed_fit(model, X, y))
    summary = {}
    for name, model in models.items():
        seconds = [run[0] for run in runs[name]]
        iterations = [run[1] for run in runs[name]]
        summary[name] = {
            "median_seconds": round(float(np.median(seconds)), 4),
            "times": [round(s, 4) for s in seconds],
            "n_iter": iterations,
            "seconds_per_iteration": round(float(np.median(seconds) / np.median(iterations)), 5),
            "converged": all(run[2] for run in runs[name]),
            "train_balanced_accuracy": round(
                float(balanced_accuracy_score(y, model.predict(X))), 4
            ),
        }
    reference = summary["logistic_regression"]
    label = "default threads" if threads is None else f"{threads} thread"
    for name in ("focal_gamma_0", "focal_gamma_2"):
        entry = summary[name]
        entry["ratio"] = round(entry["median_seconds"] / reference["median_seconds"], 3)
        entry["paired_ratios"] = [
            round(a / b, 3) for a, b in zip(entry["times"], reference["times"])
        ]
        entry["ratio_per_iteration"] = round(
            entry["seconds_per_iteration"] / reference["seconds_per_iteration"], 3
        )
        entry["target_ratio"] = 3.0
        entry["target_met"] = bool(entry["ratio"] <= 3.0)
        print(
            f"[{label}] {name}: {entry['median_seconds']:.2f}s ({entry['n_iter']} it) vs "
            f"LogisticRegression {reference['median_seconds']:.2f}s "
            f"({reference['n_iter']} it): ratio {entry['ratio']:.2f} (target <= 3), "
            f"per iteration {entry['ratio_per_iteration']:.2f}"
        )
    return {
        "threads": "default" if threads is None else threads,
        "repeats": repeats,
        "models": summary,
    }


def bench_long_tail_scores():
    """Part 2: stratified 5-fold macro-F1 / balanced accuracy on long-tailed digits."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    from skbalance.datasets import load_long_tailed_digits
    from skbalance.focal import FocalLossClassifier

    X, y = load_long_tailed_digits(imbalance_ratio=100, random_state=0, return_X_y=True)
    models = {
        "logistic_regression_balanced": LogisticRegression(
            class_weight="balanced", max_iter=1000
        ),
        "logistic_regression": LogisticRegression(max_iter=1000),
        **{f"focal_gamma_{gamma:g}": FocalLossClassifier(gamma=gamma) for gamma in GAMMAS},
        "focal_gamma_2_alpha_balanced": FocalLossClassifier(gamma=2.0, alpha="balanced"),
    }
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = {}
    for name, model in models.items():
        # 427 x 64 rows: extra threads would only add overhead.
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            # The rarest digit has 1 or 2 rows: some folds miss it (sklearn warns).
            warnings.simplefilter("ignore", UserWarning)
            result = cross_validate(
                make_pipeline(StandardScaler(), model),
                X,
                y,
                cv=cv,
                scoring=("f1_macro", "balanced_accuracy"),
            )
        scores[name] = {
            metric: {
                "mean": round(float(result[f"test_{metric}"].mean()), 4),
                "std": round(float(result[f"test_{metric}"].std()), 4),
            }
            for metric in ("f1_macro", "balanced_accuracy")
        }
        scores[name]["fit_time_mean"] = round(float(result["fit_time"].mean()), 4)
        print(
            f"{name:<30} macro-F1 {scores[name]['f1_macro']['mean']:.3f} "
            f"+- {scores[name]['f1_macro']['std']:.3f}   balanced accuracy "
            f"{scores[name]['balanced_accuracy']['mean']:.3f} "
            f"+- {scores[name]['balanced_accuracy']['std']:.3f}"
        )
    return {
        "data": {
            "loader": "skbalance.datasets.load_long_tailed_digits(imbalance_ratio=100, "
            "random_state=0)",
            "n_samples": int(X.shape[0]),
            "class_counts": np.bincount(y).tolist(),
        },
        "cv": "StratifiedKFold(n_splits=5, shuffle=True, random_state=0)",
        "pipeline": "make_pipeline(StandardScaler(), model)",
        "scores": scores,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="20x smaller timing data, 1 thread only")  # fmt: skip
    args = parser.parse_args(argv)

    machine = _common.machine_info()
    started = time.perf_counter()
    X, y = _timing_data(5_000 if args.quick else 100_000)
    repeats = 1 if args.quick else 3
    fit_time = {
        "data": {
            "generator": "make_classification(n_informative=30, n_redundant=10, "
            "random_state=0)",
            "n_samples": int(X.shape[0]),
            "n_features": int(X.shape[1]),
            "n_classes": 10,
            "imbalance_ratio": 50,
            "class_counts": np.bincount(y).tolist(),
            "preprocessing": "StandardScaler",
        },
        "settings": "tol=1e-6, max_iter=1000 for every model; LogisticRegression "
        "solver lbfgs; fits interleaved; ratio = median time / median time of "
        "LogisticRegression",
        "runs": [
            bench_fit_time(X, y, repeats, threads)
            for threads in ((1,) if args.quick else (None, 1))
        ],
    }
    del X, y
    long_tail = bench_long_tail_scores()
    report = _common.end_of_run_header(
        NAME, args.quick, machine, started, fit_time=fit_time, long_tail_digits=long_tail
    )
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a focal result file: fit-time targets and long-tail scores."""
    cases = [
        _common.target_case(f"fit_time / threads={run['threads']} / {name}", "ratio",
                            model["ratio"], model["target_ratio"], model["target_met"])
        for run in result["fit_time"]["runs"]
        for name, model in run["models"].items()
        if "ratio" in model
    ]  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    scores = result["long_tail_digits"]["scores"]
    where = "long_tail_digits / scores"
    score_table, best, worst = _common.score_table(
        [(name, s["f1_macro"]["mean"], s["balanced_accuracy"]["mean"], None)
         for name, s in scores.items()]
    )  # fmt: skip
    sentences.insert(1, f"{where}: best macro-F1 `{best[0]}` ({_common.fmt(best[1])}), "
                        f"lowest `{worst[0]}` ({_common.fmt(worst[1])}).")  # fmt: skip
    return _common.section(NAME, TITLE, result, table, f"Scores ({where}):\n\n{score_table}",
                           _common.conclusions(sentences))  # fmt: skip


if __name__ == "__main__":
    main()
