"""Benchmark of BalancedClassifier: overhead of the wrapper over a weighted fit.

Run ``python -m benchmarks classifier [--quick]``. Results (machine info,
median timings over several repeats, and ratios measured in the same run) are
written to ``benchmarks/results/classifier.json`` (``classifier.quick.json``
with ``--quick``).

Data: ``make_classification`` with 1 million rows x 20 features, 5 classes
whose sizes decay exponentially with an imbalance ratio of 100 (``--quick``:
20,000 rows, 3 fit and 5 ``predict_proba`` repeats: a smoke run, noisier
ratios). Cases:

- fit time of ``BalancedClassifier(est)`` against the plain weighted fit
  ``est.fit(X, y, sample_weight=compute_sample_weight("balanced", y))``
  (computing the weights is part of the reference), for
  ``LogisticRegression(max_iter=100)`` and
  ``HistGradientBoostingClassifier(max_iter=20, early_stopping=False,
  random_state=0)``: both fits get the same weights, so they do the same
  work (the number of solver iterations is recorded). Target: ratio <= 1.05.
- peak extra memory of ``BalancedClassifier(est).fit`` over the plain
  weighted fit, measured with ``tracemalloc`` (peak during the call minus the
  memory in use before it; NumPy reports its buffers to tracemalloc). Target:
  at most 8 bytes per row plus O(n_classes), i.e. no copy of ``X``.
- ``predict_proba`` time of ``BalancedClassifier(est, prior="train")``
  against the fitted inner estimator's own ``predict_proba`` on the same rows.
  Target: ratio <= 1.05.

Timings alternate between candidate and reference within each repeat, so
machine load drifts affect both. The ratios are judged on process CPU time
with BLAS and OpenMP limited to ``--threads`` threads (default 1): on a
shared machine wall time swings by several times between identical runs,
while the CPU time of a single-threaded process measures the work done.
Wall times are recorded too, with the load average.
"""

import argparse
import gc
import time
import tracemalloc
import warnings

import numpy as np

from benchmarks import _common

NAME = "classifier"
TITLE = "BalancedClassifier overhead vs a weighted fit"

N_FEATURES = 20
N_CLASSES = 5
IMBALANCE_RATIO = 100
TIME_TARGET = 1.05
MEMORY_TARGET_BYTES_PER_ROW = 8


def _data(n_samples):
    """Long-tailed 5-class data: class shares decay from 1 to 1/100."""
    return _common.long_tailed_classification(
        n_samples, N_CLASSES, IMBALANCE_RATIO, n_features=N_FEATURES, n_informative=10, flip_y=0
    )


def _estimators():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    return {
        "LogisticRegression": LogisticRegression(max_iter=100),
        "HistGradientBoostingClassifier": HistGradientBoostingClassifier(
            max_iter=20, early_stopping=False, random_state=0
        ),
    }


def _interleaved_times(funcs, repeats):
    """CPU and wall times of each function, alternating them within each repeat."""
    times = {name: {"cpu": [], "wall": []} for name in funcs}
    order = list(funcs)
    for repeat in range(repeats):
        # swap who goes first so a slow drift does not favour one side
        for name in order if repeat % 2 == 0 else order[::-1]:
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            funcs[name]()
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
    return times


def _time_case(label, candidate, reference, repeats, warm_up=True):
    """Time candidate against reference; return a result dict with the ratio."""
    if warm_up:
        candidate()
        reference()
    times = _interleaved_times({"candidate": candidate, "reference": reference}, repeats)
    median = {
        (name, clock): float(np.median(times[name][clock]))
        for name in times
        for clock in ("cpu", "wall")
    }
    ratio = median["candidate", "cpu"] / median["reference", "cpu"]
    wall_ratio = median["candidate", "wall"] / median["reference", "wall"]
    met = ratio <= TIME_TARGET
    print(
        f"{label:<50} cpu {median['candidate', 'cpu']:8.3f}s vs "
        f"{median['reference', 'cpu']:8.3f}s  ratio {ratio:5.3f} "
        f"(wall {wall_ratio:5.3f}; target <= {TIME_TARGET}) {'ok' if met else 'MISSED'}"
    )
    return {
        "cpu_seconds": round(median["candidate", "cpu"], 4),
        "reference_cpu_seconds": round(median["reference", "cpu"], 4),
        "ratio": round(ratio, 4),
        "wall_seconds": round(median["candidate", "wall"], 4),
        "reference_wall_seconds": round(median["reference", "wall"], 4),
        "wall_ratio": round(wall_ratio, 4),
        "target_ratio": TIME_TARGET,
        "target_met": bool(met),
        "cpu_times": [round(t, 4) for t in times["candidate"]["cpu"]],
        "reference_cpu_times": [round(t, 4) for t in times["reference"]["cpu"]],
        "wall_times": [round(t, 4) for t in times["candidate"]["wall"]],
        "reference_wall_times": [round(t, 4) for t in times["reference"]["wall"]],
    }


def _peak_bytes(func):
    """Peak traced memory during ``func()`` above what was in use before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - before


def _memory_case(label, candidate, reference, n_rows):
    """Extra peak memory of candidate over reference, in bytes and bytes per row."""
    reference_peak = _peak_bytes(reference)
    candidate_peak = _peak_bytes(candidate)
    extra = candidate_peak - reference_peak
    # O(n_classes) allowance: a few small arrays and dicts per class
    allowance = MEMORY_TARGET_BYTES_PER_ROW * n_rows + 64 * 1024
    met = extra <= allowance
    print(
        f"{label:<50} peak {candidate_peak / 2**20:8.1f} MiB vs "
        f"{reference_peak / 2**20:8.1f} MiB  "
        f"extra {extra / n_rows:6.2f} B/row (target <= {MEMORY_TARGET_BYTES_PER_ROW}) "
        f"{'ok' if met else 'MISSED'}"
    )
    return {
        "peak_bytes": int(candidate_peak),
        "reference_peak_bytes": int(reference_peak),
        "extra_bytes": int(extra),
        "extra_bytes_per_row": round(extra / n_rows, 3),
        "target_bytes_per_row": MEMORY_TARGET_BYTES_PER_ROW,
        "allowance_bytes": int(allowance),
        "target_met": bool(met),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k rows, fewer repeats")
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)"
    )
    args = parser.parse_args(argv)

    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.utils.class_weight import compute_sample_weight
    from threadpoolctl import threadpool_limits

    from skbalance import BalancedClassifier

    threadpool_limits(args.threads)

    warnings.simplefilter("ignore", ConvergenceWarning)
    n_rows = 20_000 if args.quick else 1_000_000
    fit_repeats = 3 if args.quick else 5
    predict_repeats = 5 if args.quick else 11
    machine = _common.machine_info()
    X, y = _data(n_rows)
    results = {"fit_time": {}, "fit_memory": {}, "predict_proba_time": {}}

    for name, estimator in _estimators().items():

        def reference(estimator=estimator):
            weights = compute_sample_weight("balanced", y)
            return clone(estimator).fit(X, y, sample_weight=weights)

        def candidate(estimator=estimator):
            return BalancedClassifier(estimator).fit(X, y)

        # the same weights must mean the same optimisation path
        ours, theirs = candidate(), reference()
        same_model = bool(
            np.allclose(ours.predict_proba(X[:1000]), theirs.predict_proba(X[:1000]))
        )
        iterations = [int(np.max(m.n_iter_)) for m in (ours.estimator_, theirs)]
        results["fit_time"][name] = {
            "reference": f"{name}.fit(X, y, sample_weight=compute_sample_weight('balanced', y))",
            "same_predictions": same_model,
            "n_iter": iterations[0],
            "reference_n_iter": iterations[1],
            **_time_case(f"fit, {name}", candidate, reference, fit_repeats, warm_up=False),
        }
        results["fit_memory"][name] = {
            "reference": "peak of the plain weighted fit (tracemalloc)",
            **_memory_case(f"fit peak memory, {name}", candidate, reference, n_rows),
        }

        calibrated = BalancedClassifier(estimator, prior="train").fit(X, y)
        inner = calibrated.estimator_
        results["predict_proba_time"][name] = {
            "reference": f"the fitted inner {name}.predict_proba(X)",
            **_time_case(
                f"predict_proba, prior='train', {name}",
                lambda calibrated=calibrated: calibrated.predict_proba(X),
                lambda inner=inner: inner.predict_proba(X),
                predict_repeats,
            ),
        }
        del ours, theirs, calibrated, inner

    targets = [
        case["target_met"] for group in results.values() for case in group.values()
    ]
    report = _common.header(
        NAME,
        args.quick,
        data={
            "generator": "make_classification(n_informative=10, flip_y=0, random_state=0)",
            "n_samples": n_rows,
            "n_features": N_FEATURES,
            "n_classes": N_CLASSES,
            "imbalance_ratio": IMBALANCE_RATIO,
            "class_counts": np.bincount(y).tolist(),
        },
        repeats={"fit": fit_repeats, "predict_proba": predict_repeats},
        statistic=(
            "ratio of median process CPU times (wall times recorded too); "
            "candidate and reference alternate within each repeat"
        ),
        threads=args.threads,
        machine=machine,
        load_average_before_after=[machine["load_average_at_start"], _common.load_average()],
        all_targets_met=bool(all(targets)),
        results=results,
    )
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a classifier result file: each case against its target."""
    measures = {"fit_time": ("ratio", "target_ratio"),
                "fit_memory": ("extra_bytes_per_row", "target_bytes_per_row"),
                "predict_proba_time": ("ratio", "target_ratio")}  # fmt: skip
    cases = [
        _common.target_case(f"{group} / {name}", value, case[value], case[target],
                            case["target_met"], case["reference"])
        for group, (value, target) in measures.items()
        for name, case in result["results"][group].items()
    ]  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    return _common.section(NAME, TITLE, result, table, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
