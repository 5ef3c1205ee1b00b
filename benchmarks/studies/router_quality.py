"""Router quality study: SmallClassRouter's long-tail scores, by base estimator.

Run ``python -m benchmarks router_quality [--quick]``. Results (machine info,
settings and scores) are written to ``benchmarks/results/router_quality.json``
(``router_quality.quick.json`` with ``--quick``).

Data: the embedded long-tailed digits
(``load_long_tailed_digits(imbalance_ratio=100, random_state=0)``: 427 rows,
class sizes 174 down to 1). Every model is
``make_pipeline(StandardScaler(), ...)`` around the same base estimator,
``LogisticRegression(max_iter=1000)``: plain, wrapped in
``BalancedClassifier``, and ``SmallClassRouter`` (soft and hard routing) with
plain and with ``BalancedClassifier`` sub-estimators. The same comparison
(without the balanced routers) is repeated, as an extra, for
``SVC(probability=True)`` and a random forest, since whether grouping the rare
classes helps depends on the base estimator. Stratified 5-fold CV, repeated
3 times (with ``--quick``: once, and without the extra base estimators). The
smallest class has a single row, so scikit-learn warns that it cannot be
stratified and it appears in one test fold per repeat; the warnings are
counted, not hidden. Reported: per-fold mean and std of macro-F1, balanced
accuracy and G-mean (imbalanced-learn's ``geometric_mean_score``, multiclass,
over the classes present in the fold), and the same metrics pooled over the
out-of-fold predictions of each repeat (every class is present there). A
class with recall 0 makes the G-mean 0 (the single digit 9 is never
recognised out of fold, so the pooled G-mean is 0 for every model), so
``gmean_corrected`` (``correction=0.01``: a zero recall counts as 0.01) is
reported too, to rank the models.

BLAS and OpenMP run on one thread (threadpoolctl). The cost of routing is
measured by ``benchmarks/bench_router.py``.
"""

import argparse
import time
import warnings

import numpy as np

from benchmarks import _common

NAME = "router_quality"
TITLE = "SmallClassRouter long-tail scores, by base estimator"


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


def evaluate(n_repeats, extras=True):
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


def main(argv=None):
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 CV repeat, LR only")
    args = parser.parse_args(argv)

    machine = _common.machine_info(threads=1)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        quality = evaluate(n_repeats=1 if args.quick else 3, extras=not args.quick)
    report = _common.end_of_run_header(NAME, args.quick, machine, started,
                                       long_tail_digits=quality)  # fmt: skip
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a router-quality result file: a score table per base estimator."""
    parts, sentences = [], []
    for base, scores in result["long_tail_digits"]["scores"].items():
        where = f"long_tail_digits / {base}"
        table, best, worst = _common.score_table(
            [(model, s["f1_macro_mean"], s["balanced_accuracy_mean"], s["gmean_mean"])
             for model, s in scores.items()]
        )  # fmt: skip
        parts.append(f"Scores ({where}):\n\n{table}")
        sentences.append(f"{where}: best macro-F1 `{best[0]}` ({_common.fmt(best[1])}), "
                         f"lowest `{worst[0]}` ({_common.fmt(worst[1])}).")  # fmt: skip
    if result.get("quick"):
        sentences.append("A quick run: one CV repeat, logistic regression only.")
    return _common.section(NAME, TITLE, result, *parts, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
