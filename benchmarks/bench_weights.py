"""Benchmark of the package foundation: label weighting and weighted resampling.

Run ``python benchmarks/bench_weights.py [--quick]``. Results (machine info,
median timings over several repeats, and ratios measured in the same run) are
written to ``benchmarks/results/weights.json``.

Cases, each timed against a reference on the same array:

- ``ClassWeightTransformer().fit_transform(y)`` on 10 million integer labels
  (20 long-tailed classes) and on 1 million string labels, against
  ``np.unique(y, return_inverse=True)`` (the one encoding pass it cannot
  avoid). Target: ratio <= 1.5.
- ``ClassWeightResampler(random_state=0).fit_resample(X, y)`` on 1 million
  rows x 20 features (5 classes, imbalance ratio 100), against
  imbalanced-learn's ``RandomOverSampler(random_state=0).fit_resample(X, y)``.
  Target: ratio <= 1.2.

``--quick`` divides the sizes by 10 and uses fewer repeats (a smoke run; the
ratios it reports are noisier and are not the reference numbers).
"""

import argparse
import gc
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "weights.json"


def _timed(func):
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _median_times(funcs, repeats):
    """Median wall time of each function over ``repeats`` interleaved runs.

    Every function runs once as a warm-up, then the functions take turns, so
    a change of machine load during the run hits all of them alike.
    """
    for func in funcs:
        func()
    times = [[] for _ in funcs]
    for _ in range(repeats):
        for func, func_times in zip(funcs, times):
            func_times.append(_timed(func))
    return [float(np.median(t)) for t in times], [[round(x, 4) for x in t] for t in times]


def _long_tailed_labels(n_samples, n_classes, imbalance_ratio, rng):
    """Labels 0..n_classes-1 with exponentially decaying class sizes, shuffled."""
    fraction = imbalance_ratio ** (-np.arange(n_classes) / (n_classes - 1))
    sizes = np.floor(n_samples * fraction / fraction.sum()).astype(np.intp)
    sizes[0] += n_samples - sizes.sum()
    return rng.permutation(np.repeat(np.arange(n_classes), sizes))


def _compare(name, candidate, reference, repeats, target, extra=None):
    """Time ``candidate`` against ``reference`` (and optional extra baselines)."""
    extra = extra or {}
    medians, times = _median_times([candidate, reference, *extra.values()], repeats)
    t_new, t_ref = medians[:2]
    ratio = t_new / t_ref
    verdict = "ok" if ratio <= target else "MISSED"
    print(
        f"{name:<42} {t_new:7.3f}s vs {t_ref:7.3f}s  ratio {ratio:5.2f} "
        f"(target <= {target}) {verdict}"
    )
    result = {
        "seconds": round(t_new, 4),
        "reference_seconds": round(t_ref, 4),
        "ratio": round(ratio, 3),
        "target_ratio": target,
        "target_met": bool(ratio <= target),
        "times": times[0],
        "reference_times": times[1],
    }
    for (label, _), median, label_times in zip(extra.items(), medians[2:], times[2:]):
        print(f"{'':<42} {label}: {median:.3f}s (ratio {t_new / median:.2f})")
        result[f"{label}_seconds"] = round(median, 4)
        result[f"ratio_to_{label}"] = round(t_new / median, 3)
        result[f"{label}_times"] = label_times
    return result


def _machine_info():
    import imblearn
    import sklearn

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
    }


def _load():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not available on every platform
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller, fewer repeats")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from imblearn.over_sampling import RandomOverSampler

    from skbalance import ClassWeightResampler, ClassWeightTransformer

    scale = 10 if args.quick else 1
    repeats = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    results = {}
    load_before = _load()

    y_int = _long_tailed_labels(10_000_000 // scale, 20, 100, rng)
    results["transformer_int_labels"] = {
        "n_samples": y_int.size,
        "n_classes": 20,
        "reference": "np.unique(y, return_inverse=True)",
        **_compare(
            f"fit_transform, {y_int.size:,} int labels",
            lambda: ClassWeightTransformer().fit_transform(y_int),
            lambda: np.unique(y_int, return_inverse=True),
            repeats,
            1.5,
        ),
    }
    del y_int

    names = np.array([f"class_{i:02d}" for i in range(20)])
    y_str = names[_long_tailed_labels(1_000_000 // scale, 20, 100, rng)]
    results["transformer_string_labels"] = {
        "n_samples": y_str.size,
        "n_classes": 20,
        "dtype": str(y_str.dtype),
        "reference": "np.unique(y, return_inverse=True)",
        **_compare(
            f"fit_transform, {y_str.size:,} string labels",
            lambda: ClassWeightTransformer().fit_transform(y_str),
            lambda: np.unique(y_str, return_inverse=True),
            repeats,
            1.5,
        ),
    }
    del y_str

    n_rows = 1_000_000 // scale
    y = _long_tailed_labels(n_rows, 5, 100, rng)
    X = rng.standard_normal((n_rows, 20))
    n_out_ros = 5 * np.bincount(y).max()
    # RandomOverSampler returns k * n_max rows, ClassWeightResampler n rows;
    # the bare row gather of n rows is a floor for any sampler of that size
    bootstrap = np.random.default_rng(1).integers(0, n_rows, n_rows)
    results["resampler"] = {
        "n_samples": n_rows,
        "n_features": 20,
        "n_classes": 5,
        "imbalance_ratio": 100,
        "class_counts": np.bincount(y).tolist(),
        "rows_out": n_rows,
        "reference_rows_out": int(n_out_ros),
        "reference": "imblearn RandomOverSampler(random_state=0).fit_resample(X, y)",
        "gather_floor": "X[idx], y[idx] for n random row indices (informational)",
        **_compare(
            f"fit_resample, {n_rows:,} x 20",
            lambda: ClassWeightResampler(random_state=0).fit_resample(X, y),
            lambda: RandomOverSampler(random_state=0).fit_resample(X, y),
            repeats,
            1.2,
            extra={"gather_floor": lambda: (X[bootstrap], y[bootstrap])},
        ),
    }

    report = {
        "benchmark": "bench_weights",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "repeats": repeats,
        "statistic": "median wall time in seconds after one warm-up run",
        "machine": _machine_info(),
        "load_average_before_after": [load_before, _load()],
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")
    return report


if __name__ == "__main__":
    main()
