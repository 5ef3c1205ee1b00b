"""Benchmark of the decision tools: estimate_prior against QuaPy, and the cost of deciding.

Run ``python -m benchmarks decision [--quick]``. Results (machine info,
timings, ratios measured in the same run, errors) are written to
``benchmarks/results/decision.json`` (``decision.quick.json`` with
``--quick``).

1. ``skbalance.priors.estimate_prior(method="em")`` against QuaPy's EMQ
   (``EMQ.EM``, the EM of Saerens et al. 2002 that QuaPy's ``EMQ`` runs) on
   the same probabilities: a well-specified synthetic problem (Gaussian
   classes with unit covariance in 5 dimensions, so that
   ``LogisticRegression`` is calibrated), trained on balanced classes
   (1,000 rows each), deployed on 10,000 rows whose class shares are
   shifted. Two cases: 4 classes (shares 0.6, 0.25, 0.1, 0.05) and 10
   classes (shares decaying tenfold). The probabilities are computed once
   and handed to both through a stand-in classifier (its ``predict_proba``
   returns them), so only the EM is timed. Reported: L1 error of each
   estimate to the true shares (target <= 0.03 for ours), the L1 distance
   between the two, and the time ratio (median over interleaved repeats;
   target <= 1) with each library's default stopping rule (ours: no prior
   moves by more than 1e-6; QuaPy's: mean absolute change < 1e-4 after at
   least 10 iterations), and with ours stopped at QuaPy's tolerance.
2. ``CostSensitiveClassifier.predict`` against the inner model's
   ``predict_proba`` on the same rows (target <= 1.1): 200,000 rows x 20
   features, 10 classes, inner ``LogisticRegression`` (cheap: the worst
   case for the overhead of the decision, whose k x k product costs about
   as much as the model's n x 20 x k one) and a 50-tree random forest, each
   fitted on 5,000 rows. ``TunedDecisionClassifierCV.predict`` is timed the
   same way, for information.
3. Fit time of ``TunedDecisionClassifierCV(forest)`` (``cv="auto"``: out of
   bag, ``prior_power`` and ``per_class``) over the plain 100-tree forest's,
   on 500 and 3,000 rows x 20 features, 10 classes (largest / smallest 30);
   median of 5 interleaved fits (target <= 1.15).

``--quick`` uses 20,000 rows in part 2, 500 rows in part 3 and fewer repeats: a smoke run whose
ratios are noisier. BLAS runs on one thread (threadpoolctl) in both modes.
"""

import argparse
import time

import numpy as np

from benchmarks import _common

NAME = "decision"
TITLE = "estimate_prior vs QuaPy's EMQ, and the cost of a decision rule"
#: Issue 17's target for the out-of-bag tuned forest's fit time over the plain forest's.
TARGET_FIT_RATIO = 1.15

#: (case name, deployment class shares) of part 1.
PRIOR_CASES = {
    "4 classes": np.array([0.6, 0.25, 0.1, 0.05]),
    "10 classes": _common.long_tailed_shares(10, 10),
}


def _gaussian_rows(counts, means, rng):
    """Rows of Gaussian classes with unit covariance, and their labels."""
    X = np.vstack([rng.normal(means[c], 1.0, (n, means.shape[1])) for c, n in enumerate(counts)])
    return X, np.repeat(np.arange(len(counts)), counts)


def _precomputed(proba):
    """A fitted stand-in classifier whose ``predict_proba`` returns ``proba``."""
    from sklearn.base import BaseEstimator, ClassifierMixin

    class Precomputed(ClassifierMixin, BaseEstimator):
        def predict_proba(self, X):
            return proba

        def fit(self, X, y):
            return self

        def predict(self, X):
            return np.argmax(proba, axis=1)

    model = Precomputed()
    model.classes_ = np.arange(proba.shape[1])
    return model


def bench_prior(name, shares, repeats):
    """Part 1 for one case: errors and EM time ratios to QuaPy on the same probabilities."""
    from quapy.method.aggregative import EMQ
    from sklearn.linear_model import LogisticRegression

    from skbalance.priors import estimate_prior

    rng = np.random.RandomState(0)
    k = len(shares)
    means = rng.normal(0.0, 1.5, (k, 5))
    X_train, y_train = _gaussian_rows([1000] * k, means, rng)
    model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    counts = np.round(shares * 10_000).astype(int)
    truth = counts / counts.sum()
    X_new, _ = _gaussian_rows(counts, means, rng)
    proba = model.predict_proba(X_new)
    stand_in, rows, uniform = _precomputed(proba), np.zeros((len(proba), 1)), np.full(k, 1 / k)
    results = {}
    funcs = {
        "skbalance": lambda: estimate_prior(stand_in, rows, training_prior=uniform),
        "skbalance_tol_1e-4": lambda: estimate_prior(
            stand_in, rows, training_prior=uniform, tol=1e-4
        ),
        "quapy": lambda: EMQ.EM(uniform, proba)[0],
    }
    for label, func in funcs.items():
        results[label] = {"estimate": func(), "l1_error": None}
        results[label]["l1_error"] = float(np.abs(results[label]["estimate"] - truth).sum())
    medians, times = _common.median_times(funcs, repeats, alternate=True)
    for label in funcs:
        results[label]["median_seconds"] = medians[label]
        results[label]["times"] = times[label]
    for label in ("skbalance", "skbalance_tol_1e-4"):
        results[label]["ratio_to_quapy"] = medians[label] / medians["quapy"]
        results[label]["l1_to_quapy"] = float(
            np.abs(results[label]["estimate"] - results["quapy"]["estimate"]).sum()
        )
    print(f"{name}: L1 error ours {results['skbalance']['l1_error']:.4f}, QuaPy "
          f"{results['quapy']['l1_error']:.4f}; time ratio "
          f"{results['skbalance']['ratio_to_quapy']:.2f} (defaults), "
          f"{results['skbalance_tol_1e-4']['ratio_to_quapy']:.2f} (tol 1e-4)")  # fmt: skip
    return {
        "n_classes": k,
        "n_train": len(y_train),
        "n_deployment": int(counts.sum()),
        "true_prior": truth,
        "results": results,
        "target_l1_error": 0.03,
        "target_ratio": 1.0,
    }


def bench_predict(inner, n_samples, repeats):
    """Part 2 for one inner model: decision predict over the inner predict_proba, interleaved."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    from skbalance import CostSensitiveClassifier, TunedDecisionClassifierCV

    X, y = make_classification(
        n_samples=n_samples, n_features=20, n_informative=12, n_classes=10,
        weights=_common.long_tailed_shares(10, 20), random_state=0,
    )  # fmt: skip
    cost = 1.0 + np.random.RandomState(0).uniform(0, 9, (10, 10))
    np.fill_diagonal(cost, 0.0)
    fit_rows = slice(0, 5_000)
    model = {
        "LogisticRegression": LogisticRegression(max_iter=300),
        "RandomForestClassifier": RandomForestClassifier(n_estimators=50, random_state=0),
    }[inner]
    sensitive = CostSensitiveClassifier(model, cost_matrix=cost).fit(X[fit_rows], y[fit_rows])
    tuned = TunedDecisionClassifierCV(model, random_state=0).fit(X[fit_rows], y[fit_rows])
    funcs = {
        "inner_predict_proba": lambda: sensitive.estimator_.predict_proba(X),
        "cost_sensitive_predict": lambda: sensitive.predict(X),
        "tuned_inner_predict_proba": lambda: tuned.estimator_.predict_proba(X),
        "tuned_predict": lambda: tuned.predict(X),
    }
    medians, times = _common.median_times(funcs, repeats, alternate=True)
    ratio = medians["cost_sensitive_predict"] / medians["inner_predict_proba"]
    tuned_ratio = medians["tuned_predict"] / medians["tuned_inner_predict_proba"]
    print(f"{inner}: CostSensitiveClassifier.predict / predict_proba {ratio:.3f} (target "
          f"<= 1.1); TunedDecisionClassifierCV.predict / predict_proba {tuned_ratio:.3f}")
    return {
        "n_samples": n_samples,
        "n_features": 20,
        "n_classes": 10,
        "estimator": f"{model!r} fitted on 5,000 rows",
        "median_seconds": medians,
        "times": times,
        "ratio": ratio,
        "target_ratio": 1.1,
        "tuned_ratio": tuned_ratio,
    }


def bench_fit(n_samples, repeats):
    """Part 3: fit time of the out-of-bag tuned forest over the plain forest, interleaved."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier

    from skbalance import TunedDecisionClassifierCV

    X, y = make_classification(
        n_samples=n_samples, n_features=20, n_informative=10, n_classes=10,
        weights=_common.long_tailed_shares(10, 30), random_state=0,
    )  # fmt: skip
    forest = RandomForestClassifier(n_estimators=100, random_state=0)
    funcs = {
        "forest_fit": lambda: forest.fit(X, y),
        "tuned_prior_power_fit": lambda: TunedDecisionClassifierCV(forest, random_state=0).fit(
            X, y
        ),
        "tuned_per_class_fit": lambda: TunedDecisionClassifierCV(
            forest, method="per_class", random_state=0
        ).fit(X, y),
    }
    medians, times = _common.median_times(funcs, repeats, warm_up=False, alternate=True)
    ratios = {name: medians[name] / medians["forest_fit"] for name in list(funcs)[1:]}
    print(f"fit on {n_samples:,} rows: tuned / plain forest "
          + ", ".join(f"{name} {ratio:.3f}" for name, ratio in ratios.items()))  # fmt: skip
    return {
        "n_samples": n_samples,
        "n_features": 20,
        "n_classes": 10,
        "estimator": repr(forest),
        "median_seconds": medians,
        "times": times,
        "ratios": ratios,
        "target_ratio": TARGET_FIT_RATIO,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller predict data, fewer repeats")  # fmt: skip
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        machine = _common.machine_info(threads=1)
        started = time.perf_counter()
        repeats = 5 if args.quick else 21
        prior = {name: bench_prior(name, shares, repeats) for name, shares in PRIOR_CASES.items()}
        predict = {
            inner: bench_predict(inner, 20_000 if args.quick else 200_000, 5 if args.quick else 9)
            for inner in ("LogisticRegression", "RandomForestClassifier")
        }
        sizes = (500,) if args.quick else (500, 3000)
        fit = [bench_fit(n, 1 if args.quick else 5) for n in sizes]
    import quapy

    machine["quapy"] = quapy.__version__
    report = _common.end_of_run_header(
        NAME, args.quick, machine, started, estimate_prior=prior, predict=predict, fit=fit
    )
    _common.write_json(_common.result_path(NAME, args.quick), report)
    return report


def render(result):
    """The README section of a decision result file: prior-estimation error and speed targets."""
    cases = []
    for name, case in result["estimate_prior"].items():
        ours = case["results"]["skbalance"]
        cases.append(_common.target_case(
            f"estimate_prior / {name} / {case['n_deployment']:,} shifted rows", "L1 error",
            ours["l1_error"], case["target_l1_error"], ours["l1_error"] <= case["target_l1_error"],
            f"QuaPy EMQ: {_common.fmt(case['results']['quapy']['l1_error'])}",
        ))  # fmt: skip
        cases.append(_common.target_case(
            f"estimate_prior / {name} / time", "ratio", ours["ratio_to_quapy"],
            case["target_ratio"], ours["ratio_to_quapy"] <= case["target_ratio"],
            "QuaPy EMQ.EM on the same probabilities (defaults)",
        ))  # fmt: skip
    for inner, predict in result["predict"].items():
        cases.append(_common.target_case(
            f"CostSensitiveClassifier.predict / {predict['n_samples']:,} rows, 10 classes",
            "ratio", predict["ratio"], predict["target_ratio"],
            predict["ratio"] <= predict["target_ratio"], f"inner {inner}.predict_proba",
        ))  # fmt: skip
    for fit in result["fit"]:
        ratio = fit["ratios"]["tuned_prior_power_fit"]
        cases.append(_common.target_case(
            f"tuned forest fit (prior_power) / {fit['n_samples']:,} rows",
            "ratio", ratio, fit["target_ratio"], ratio <= fit["target_ratio"],
            "RandomForestClassifier(100 trees).fit",
        ))  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    for name, case in result["estimate_prior"].items():
        r = case["results"]
        sentences.append(
            f"{name}: with QuaPy's tolerance (1e-4) our EM takes "
            f"{_common.fmt(r['skbalance_tol_1e-4']['ratio_to_quapy'], 2)}x QuaPy's time and "
            "differs from its estimate by "
            f"{_common.fmt(r['skbalance_tol_1e-4']['l1_to_quapy'], 4)} (L1); with our default "
            "tolerance (1e-6), by "
            f"{_common.fmt(r['skbalance']['l1_to_quapy'], 4)}."
        )
    per_class = ", ".join(
        f"{_common.fmt(fit['ratios']['tuned_per_class_fit'], 2)}x ({fit['n_samples']:,} rows)"
        for fit in result["fit"]
    )
    sentences.append(
        f"method='per_class' costs {per_class} the plain forest's fit (its coordinate ascent "
        "scores ~500 offset vectors)."
    )
    lr = result["predict"]["LogisticRegression"]
    sentences.append(
        "The decision costs a product of the (n, k) probabilities with the k x k cost "
        "matrix and an argmin: next to a linear model on 20 features (whose own cost is "
        f"n x 20 x k) that is {_common.fmt(lr['ratio'], 2)}x its predict_proba; next to a "
        f"forest it is {_common.fmt(result['predict']['RandomForestClassifier']['ratio'], 2)}x."
    )
    sentences.append(
        "TunedDecisionClassifierCV.predict (a log of the probabilities and an argmax) takes "
        + ", ".join(
            f"{_common.fmt(p['tuned_ratio'], 2)}x ({inner})"
            for inner, p in result["predict"].items()
        )
        + " the inner predict_proba."
    )
    return _common.section(NAME, TITLE, result, table, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
