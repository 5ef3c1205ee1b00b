"""Benchmark of the package foundation: label weighting and weighted resampling.

Run ``python -m benchmarks weights [--quick]``. Results (machine info,
median timings over several repeats, and ratios measured in the same run) are
written to ``benchmarks/results/weights.json`` (``weights.quick.json`` with
``--quick``).

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

import numpy as np

from benchmarks import _common

NAME = "weights"
TITLE = "class weights and weighted resampling vs NumPy / imblearn"

#: Number of classes of the labels ClassWeightTransformer weights.
N_LABEL_CLASSES = 20


def _long_tailed_labels(n_samples, n_classes, imbalance_ratio, rng):
    """Labels 0..n_classes-1 with exponentially decaying class sizes, shuffled."""
    shares = _common.long_tailed_shares(n_classes, imbalance_ratio)
    sizes = np.floor(n_samples * shares).astype(np.intp)
    sizes[0] += n_samples - sizes.sum()
    return rng.permutation(np.repeat(np.arange(n_classes), sizes))


def _compare(name, candidate, reference, repeats, target, extra=None):
    """Time ``candidate`` against ``reference`` (and optional extra baselines).

    Median wall times after one warm-up run of each, the functions taking
    turns within every repeat (:func:`benchmarks._common.median_times`).
    """
    extra = extra or {}
    medians, times = _common.median_times(
        {"candidate": candidate, "reference": reference, **extra}, repeats
    )
    t_new, t_ref = medians["candidate"], medians["reference"]
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
        "times": times["candidate"],
        "reference_times": times["reference"],
    }
    for label in extra:
        median = medians[label]
        print(f"{'':<42} {label}: {median:.3f}s (ratio {t_new / median:.2f})")
        result[f"{label}_seconds"] = round(median, 4)
        result[f"ratio_to_{label}"] = round(t_new / median, 3)
        result[f"{label}_times"] = times[label]
    return result


def _label_weighting_case(y, kind, repeats, **info):
    """Time ``ClassWeightTransformer().fit_transform(y)`` against ``np.unique``.

    ``y`` holds ``N_LABEL_CLASSES`` classes; ``kind`` names the labels in the
    printed line; ``info`` adds entries to the result, after the size of ``y``.
    """
    from skbalance import ClassWeightTransformer

    return {
        "n_samples": y.size,
        "n_classes": N_LABEL_CLASSES,
        **info,
        "reference": "np.unique(y, return_inverse=True)",
        **_compare(
            f"fit_transform, {y.size:,} {kind} labels",
            lambda: ClassWeightTransformer().fit_transform(y),
            lambda: np.unique(y, return_inverse=True),
            repeats,
            1.5,
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller, fewer repeats")
    args = parser.parse_args(argv)

    from imblearn.over_sampling import RandomOverSampler

    from skbalance import ClassWeightResampler

    scale = 10 if args.quick else 1
    repeats = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    results = {}
    machine = _common.machine_info()

    y_int = _long_tailed_labels(10_000_000 // scale, N_LABEL_CLASSES, 100, rng)
    results["transformer_int_labels"] = _label_weighting_case(y_int, "int", repeats)
    del y_int

    names = np.array([f"class_{i:02d}" for i in range(N_LABEL_CLASSES)])
    y_str = names[_long_tailed_labels(1_000_000 // scale, N_LABEL_CLASSES, 100, rng)]
    results["transformer_string_labels"] = _label_weighting_case(
        y_str, "string", repeats, dtype=str(y_str.dtype)
    )
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

    report = _common.header(
        NAME,
        args.quick,
        repeats=repeats,
        statistic="median wall time in seconds after one warm-up run",
        machine=machine,
        load_average_before_after=[machine["load_average_at_start"], _common.load_average()],
        results=results,
    )
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a weights result file: each case against its target."""
    cases = [_common.target_case(name, "ratio", case["ratio"], case["target_ratio"],
                                 case["target_met"], case["reference"])
             for name, case in result["results"].items()]  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    return _common.section(NAME, TITLE, result, table, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
