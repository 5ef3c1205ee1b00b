"""Decision quality study: TunedDecisionClassifierCV against re-weighting and over-sampling.

Run ``python -m benchmarks decision_quality [--quick]``. Results (machine
info, settings, per data set and fold scores, paired differences) are
written to ``benchmarks/results/decision_quality.json``
(``decision_quality.quick.json`` with ``--quick``). The data sets and folds
are those of ``benchmarks/studies/_datasets.py`` (16 long-tailed data sets
derived from scikit-learn's bundled data and ``make_classification``;
stratified 5-fold CV repeated twice, the same folds for every method).

Methods, on two base estimators (``LR`` = ``make_pipeline(StandardScaler(),
LogisticRegression(max_iter=1000))``, ``RF`` =
``RandomForestClassifier(n_estimators=100)``):

- plain; ``class_weight="balanced"``; imbalanced-learn's
  ``RandomOverSampler`` before the same model (after the scaler for LR);
- ``TunedDecisionClassifierCV(base)`` with ``method="prior_power"`` (one τ)
  and ``method="per_class"`` (shrunk per-class offsets), ``cv="auto"``: the
  forest's out-of-bag probabilities, stratified 5-fold out-of-fold
  probabilities for LR; scoring macro-F1.

Reported per family: mean macro-F1, balanced accuracy and G-mean over data
sets; the paired macro-F1 difference of each tuned method to each other
method of its family, on the same folds (mean over data sets, and on how
many data sets it is higher / lower); and the fit time over that of the
plain model of the family on the same fold (geometric mean over folds and
data sets). Target (issue 17): around RF, ``prior_power`` beats plain RF,
RF balanced and ROS+RF on mean macro-F1 at <= 1.15x the plain forest's fit
time. Fits run ``--n-jobs`` at a time (2 in full mode), each on one
BLAS/OpenMP thread.

``--quick``: two small data sets, 3 folds once, 50 trees (a smoke run).
"""

import argparse
import time

import numpy as np

from benchmarks import _common
from benchmarks.studies._datasets import (
    METRICS,
    SEED,
    fold_metrics,
    load_datasets,
    make_folds,
)

NAME = "decision_quality"
TITLE = "TunedDecisionClassifierCV vs class weights and over-sampling"
FAMILIES = ("LR", "RF")
#: Method suffixes, in table order; the name of a method is "<family> <suffix>".
VARIANTS = ("plain", "balanced", "ROS", "tuned prior_power", "tuned per_class")
TUNED = ("tuned prior_power", "tuned per_class")
TARGET_FIT_RATIO = 1.15


def build_methods(n_estimators):
    """The methods, by name ``"<family> <variant>"``."""
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import make_pipeline as imb_pipeline
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skbalance import TunedDecisionClassifierCV

    def lr(**params):
        return LogisticRegression(max_iter=1000, **params)

    def rf(**params):
        return RandomForestClassifier(n_estimators=n_estimators, random_state=SEED, **params)

    ros = RandomOverSampler(random_state=SEED)
    methods = {
        "LR plain": make_pipeline(StandardScaler(), lr()),
        "LR balanced": make_pipeline(StandardScaler(), lr(class_weight="balanced")),
        "LR ROS": imb_pipeline(StandardScaler(), ros, lr()),
        "RF plain": rf(),
        "RF balanced": rf(class_weight="balanced"),
        "RF ROS": imb_pipeline(ros, rf()),
    }
    for family in FAMILIES:
        for method in ("prior_power", "per_class"):
            methods[f"{family} tuned {method}"] = TunedDecisionClassifierCV(
                methods[f"{family} plain"], method=method, random_state=SEED
            )
    return methods


def _fit_and_score(name, estimator, X, y, fold, train, test):
    """One fit on a fold: its fit time and test metrics."""
    from sklearn.base import clone

    model = clone(estimator)
    start = time.perf_counter()
    model.fit(X[train], y[train])
    fit_time = time.perf_counter() - start
    scores = fold_metrics(y[test], model.predict(X[test]))
    extra = {"tau": float(model.tau_)} if hasattr(model, "tau_") else {}
    return {"method": name, "fold": fold, "fit_time": fit_time, **scores, **extra}


def evaluate_dataset(X, y, methods, folds, n_jobs):
    """Every method on every fold (the methods of a fold take turns)."""
    from joblib import Parallel, delayed

    tasks = [
        delayed(_fit_and_score)(name, estimator, X, y, fold, train, test)
        for fold, (train, test) in enumerate(folds)
        for name, estimator in methods.items()
    ]
    return Parallel(n_jobs=n_jobs)(tasks)


def summarise_dataset(records):
    """Per method: mean metrics, mean fit-time ratio to the family's plain model, mean τ."""
    by = {}
    for record in records:
        by.setdefault(record["method"], []).append(record)
    plain_time = {
        family: {r["fold"]: r["fit_time"] for r in by[f"{family} plain"]} for family in FAMILIES
    }
    summary = {}
    for name, rows in by.items():
        family = name.split()[0]
        ratios = [r["fit_time"] / plain_time[family][r["fold"]] for r in rows]
        summary[name] = {
            **{m: float(np.mean([r[m] for r in rows])) for m in METRICS},
            "f1_macro_by_fold": [r["f1_macro"] for r in sorted(rows, key=lambda r: r["fold"])],
            "log_fit_ratio": float(np.mean(np.log(ratios))),
            "fit_time": float(np.mean([r["fit_time"] for r in rows])),
        }
        if "tau" in rows[0]:
            summary[name]["tau_mean"] = float(np.mean([r["tau"] for r in rows]))
    return summary


def aggregate(per_dataset):
    """Means over data sets, paired differences of the tuned methods, fit-time ratios."""
    names = list(next(iter(per_dataset.values())))
    overall = {}
    for name in names:
        values = [per_dataset[d][name] for d in per_dataset]
        overall[name] = {
            **{m: float(np.mean([v[m] for v in values])) for m in METRICS},
            "fit_ratio": float(np.exp(np.mean([v["log_fit_ratio"] for v in values]))),
        }
    paired = {}
    for family in FAMILIES:
        for tuned in TUNED:
            name = f"{family} {tuned}"
            for variant in VARIANTS:
                other = f"{family} {variant}"
                if other == name:
                    continue
                diffs = [per_dataset[d][name]["f1_macro"] - per_dataset[d][other]["f1_macro"]
                         for d in per_dataset]  # fmt: skip
                paired[f"{name} - {other}"] = {
                    "mean": float(np.mean(diffs)),
                    "higher": int(np.sum(np.array(diffs) > 1e-12)),
                    "lower": int(np.sum(np.array(diffs) < -1e-12)),
                    "n_datasets": len(diffs),
                }
    return {"overall": overall, "paired_f1_macro": paired}


def run(quick=False, datasets=None, n_jobs=None):
    """Run the study; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    n_splits, n_repeats = (3, 1) if quick else (5, 2)
    n_jobs = n_jobs or (1 if quick else 2)
    n_estimators = 50 if quick else 100
    methods = build_methods(n_estimators)
    machine = _common.machine_info()
    per_dataset, data_info = {}, {}
    with threadpool_limits(limits=1):
        for dataset, (X, y, description) in load_datasets(quick, datasets).items():
            t0 = time.perf_counter()
            records = evaluate_dataset(X, y, methods, make_folds(X, y, n_splits, n_repeats),
                                       n_jobs)  # fmt: skip
            per_dataset[dataset] = summarise_dataset(records)
            data_info[dataset] = {
                "description": description,
                "n_samples": int(X.shape[0]),
                "class_counts": np.unique(y, return_counts=True)[1].tolist(),
                "seconds": round(time.perf_counter() - t0, 1),
            }
            best = max(per_dataset[dataset], key=lambda m: per_dataset[dataset][m]["f1_macro"])
            print(f"{dataset:<22} {X.shape[0]:>5} rows: {time.perf_counter() - t0:6.1f}s, "
                  f"best {best}", flush=True)  # fmt: skip
    report = _common.end_of_run_header(
        NAME, quick, machine, started,
        settings={"folds": f"StratifiedKFold({n_splits}, shuffle=True, random_state=r) for r "
                           f"in range({n_repeats})", "n_jobs": n_jobs,
                  "random_forest_n_estimators": n_estimators,
                  "threads": "1 BLAS/OpenMP thread per fit"},
        methods={name: repr(estimator) for name, estimator in methods.items()},
        datasets=data_info,
        summary=aggregate(per_dataset),
        per_dataset=per_dataset,
    )  # fmt: skip
    _common.write_json(_common.result_path(NAME, quick), report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 small data sets, 3 folds")
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--n-jobs", type=int, default=None, help="fits at a time")
    args = parser.parse_args(argv)
    return run(args.quick, args.datasets, args.n_jobs)


def render(result):
    """The README section: scores per family, paired differences, the RF target."""
    overall = result["summary"]["overall"]
    paired = result["summary"]["paired_f1_macro"]
    n = len(result["per_dataset"])
    rows = [[f"`{name}`", _common.fmt(s["f1_macro"]), _common.fmt(s["balanced_accuracy"]),
             _common.fmt(s["gmean"]), _common.fmt(s["fit_ratio"], 2)]
            for name, s in overall.items()]  # fmt: skip
    scores = _common.table(["method", "macro-F1", "balanced acc.", "G-mean",
                            "fit time × plain"], rows)  # fmt: skip
    diff_rows = [[f"`{key}`", f"{v['mean']:+.4f}", f"{v['higher']} / {v['lower']}"]
                 for key, v in paired.items()]  # fmt: skip
    diffs = _common.table(["paired macro-F1 difference", "mean over data sets",
                           "data sets higher / lower"], diff_rows)  # fmt: skip
    tuned, ratio = "RF tuned prior_power", overall["RF tuned prior_power"]["fit_ratio"]
    peers = ("plain", "balanced", "ROS")
    gains = {v: paired[f"{tuned} - RF {v}"]["mean"] for v in peers}
    beaten = [v for v in peers if gains[v] > 0]
    cases = [
        _common.target_case(f"{tuned} vs RF {v}", "macro-F1 difference", gains[v], 0.0,
                            gains[v] > 0, "same folds, mean over data sets")
        for v in peers
    ]  # fmt: skip
    cases.append(_common.target_case(
        f"{tuned} fit time", "ratio", ratio, TARGET_FIT_RATIO, ratio <= TARGET_FIT_RATIO,
        "plain RF, same folds, geometric mean",
    ))  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    sentences.append(
        f"Around the forest, one τ on out-of-bag probabilities beats {len(beaten)} of the 3 "
        f"(plain, balanced, ROS) on mean macro-F1 over {n} data sets, at {ratio:.2f}x the "
        "plain forest's fit time."
    )
    load = result["machine"].get("load_average_at_start")
    sentences.append(
        f"Fit times are of fits two at a time on {result['machine']['cpu_count']} cores shared "
        f"with other work (1-minute load average {load[0] if load else '—'} at the start), so "
        "the ratio is noisy on the small data sets; the decision benchmark times the tuned "
        "forest alone, interleaved with the plain one."
    )
    for family in FAMILIES:
        pp, pc = overall[f"{family} tuned prior_power"], overall[f"{family} tuned per_class"]
        sentences.append(
            f"{family}: prior_power {pp['f1_macro']:.3f} vs per_class {pc['f1_macro']:.3f} "
            f"mean macro-F1 (plain {overall[f'{family} plain']['f1_macro']:.3f}, balanced "
            f"{overall[f'{family} balanced']['f1_macro']:.3f}, ROS "
            f"{overall[f'{family} ROS']['f1_macro']:.3f}); tuning costs "
            f"{pp['fit_ratio']:.2f}x the plain fit."
        )
    return _common.section(NAME, TITLE, result, table, scores, diffs,
                           _common.conclusions(sentences))  # fmt: skip


if __name__ == "__main__":
    main()
