"""Calibration of compare's recommendation: does it tell a real win from noise?

Run ``python -m benchmarks compare_calibration [--quick]``. Results are
written to ``benchmarks/results/compare_calibration.json``
(``compare_calibration.quick.json`` with ``--quick``).

Every case draws a new data set for each seed and runs ``compare`` as a user
would: ``cv=5, n_repeats=2, random_state=seed``, the default reference
``"plain"``, ``rope=0.01`` and :func:`skbalance.compare.recommend`'s rule
(recommended only when ``p_better >= 0.9``).

No real difference (the answer should be "no strategy is reliably better"):

- ``identical``: a logistic regression under two names (``plain`` and
  ``twin``) on a long-tailed 3-class set;
- ``forest seeds``: two random forests that differ only by their seed, on
  the same long-tailed set: the same model, with the noise of the seed;
- ``balanced LR`` and ``balanced RF``: every default strategy
  (``strategies=None``) around a standardised logistic regression, or a
  random forest, on a 400-row two-class set of 200 rows per class, where
  weighting and resampling change nothing (the issue's example; the focal
  loss and the tuned decision are other models, included as a user gets them).

A real gap (the answer should be "weight:balanced is reliably better"):

- ``long tail``: ``plain`` against ``weight:balanced`` around a strongly
  regularised logistic regression (``C=0.01``) on the long-tailed 3-class
  set (shares 500 : 112 : 24), which the plain model answers mostly with the
  largest class. The gap is measured too on held-out rows of the same
  distribution (five times the data), to show it is real.

Cost: ``compare`` with the statistics (``reference="plain"``) against the
same call without (``reference=None``), on the same folds (the user guide's
worked example: four shallow-tree strategies on the long-tailed digits,
5 folds × 2), median of interleaved timed runs.
"""

import argparse
import time

import numpy as np

from benchmarks import _common

NAME = "compare_calibration"
TITLE = "does compare tell a real win from noise?"
THRESHOLD = 0.9
TARGET_RATE = 0.9
TARGET_COST = 1.05
CV = {"cv": 5, "n_repeats": 2}
#: Seeds per case: (quick, full).
N_SEEDS = {"identical": (3, 20), "forest seeds": (5, 50), "balanced LR": (5, 30),
           "balanced RF": (3, 30), "long tail": (5, 50)}  # fmt: skip


def long_tailed(seed, holdout=0):
    """A 3-class set of shares 500 : 112 : 24 (and ``holdout`` times more rows apart)."""
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    shares = _common.long_tailed_shares(3, 20)
    n_rows = int(500 / shares[0])
    X, y = make_classification(
        n_samples=n_rows * (1 + holdout), n_features=10, n_informative=4, n_redundant=0,
        n_classes=3, n_clusters_per_class=1, weights=shares, class_sep=1.0, flip_y=0,
        random_state=seed,
    )  # fmt: skip
    if not holdout:
        return X, y
    return train_test_split(X, y, train_size=n_rows, stratify=y, random_state=seed)


def balanced(seed):
    """A two-class set of 200 rows per class (20 features, 5 informative)."""
    from sklearn.datasets import make_classification

    return make_classification(n_samples=400, n_features=20, n_informative=5, flip_y=0,
                               random_state=seed)  # fmt: skip


def _lr(C=1.0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))


def _forest(seed):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=50, random_state=seed)


def case_inputs(case, seed):
    """``(X, y, compare keyword arguments, expected strategy)`` of one case and seed."""
    from skbalance import BalancedClassifier

    if case == "identical":
        return (*long_tailed(seed), {"strategies": {"plain": _lr(), "twin": _lr()}}, "plain")
    if case == "forest seeds":
        strategies = {"plain": _forest(seed), "other seed": _forest(seed + 10_000)}
        return (*long_tailed(seed), {"strategies": strategies}, "plain")
    if case == "balanced LR":
        return (*balanced(seed), {"estimator": _lr()}, "plain")
    if case == "balanced RF":
        return (*balanced(seed), {"estimator": _forest(seed)}, "plain")
    if case == "long tail":
        lr = _lr(C=0.01)
        weighted = lr.set_params(logisticregression=BalancedClassifier(lr[-1]))
        strategies = {"plain": _lr(C=0.01), "weight:balanced": weighted}
        return (*long_tailed(seed), {"strategies": strategies}, "weight:balanced")
    raise ValueError(f"Unknown case {case!r}.")


def run_case(case, seeds, n_jobs=1):
    """Run ``compare`` and ``recommend`` for every seed of ``case`` (seeds in parallel)."""
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs)(delayed(one_seed)(case, seed) for seed in seeds)


def one_seed(case, seed):
    """The recommendation of one seed of ``case``, and what it should have been."""
    from threadpoolctl import threadpool_limits

    from skbalance.compare import compare, recommend

    _common.quiet_warnings()
    X, y, kwargs, expected = case_inputs(case, seed)
    start = time.process_time()
    with threadpool_limits(limits=1):  # many tiny fits: threads cost more than they save
        results = compare(X, y, random_state=seed, **CV, **kwargs)
    advice = recommend(results, threshold=THRESHOLD)
    rows = results.set_index("strategy")
    others = rows.drop(index=advice.reference)
    top = others.index[int(np.argmax(others["p_better"].fillna(-1).to_numpy()))]
    return {
        "seed": seed,
        "recommended": advice.strategy,
        "reliable": advice.reliable,
        "correct": advice.strategy == expected and advice.reliable == (expected != "plain"),
        "n_strategies": len(rows),
        "max_p_better": float(others.loc[top, "p_better"]),
        "max_p_better_strategy": top,
        "diff_of_expected": (float(rows.loc[expected, "diff_mean"])
                             if expected != "plain" else None),  # fmt: skip
        "cpu_seconds": round(time.process_time() - start, 2),
    }


def holdout_gaps(seeds):
    """Macro-F1 of weight:balanced minus plain on held-out rows, for the long-tail case."""
    from sklearn.base import clone
    from sklearn.metrics import f1_score

    gaps = []
    for seed in seeds:
        X, X_out, y, y_out = long_tailed(seed, holdout=5)
        _, _, kwargs, _ = case_inputs("long tail", seed)
        scores = {name: f1_score(y_out, clone(model).fit(X, y).predict(X_out), average="macro")
                  for name, model in kwargs["strategies"].items()}  # fmt: skip
        gaps.append(scores["weight:balanced"] - scores["plain"])
    return gaps


def cost(repeats):
    """Median time of compare with and without the statistics, on the same folds."""
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.tree import DecisionTreeClassifier

    from skbalance import BalancedClassifier
    from skbalance.compare import compare
    from skbalance.datasets import load_long_tailed_digits

    X, y = load_long_tailed_digits(imbalance_ratio=20, return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=4, random_state=0)
    under = BalancedClassifier(tree, weighting=None, sampler=RandomUnderSampler(random_state=0))
    strategies = {"plain": tree, "weight:balanced": BalancedClassifier(tree),
                  "sampler:random_under": under, "same tree": tree}  # fmt: skip

    def run(reference):
        return lambda: compare(X, y, strategies=strategies, random_state=0, reference=reference,
                               **CV)  # fmt: skip

    medians, times = _common.median_times(
        {"with statistics": run("plain"), "without": run(None)}, repeats, alternate=True
    )
    ratio = medians["with statistics"] / medians["without"]
    return {"medians": medians, "times": times, "ratio": ratio, "target_ratio": TARGET_COST,
            "target_met": bool(ratio <= TARGET_COST)}  # fmt: skip


def run(quick=False, cases=None, n_jobs=None):
    """Run the cases (all by default) and the cost measurement; write the result file."""
    from threadpoolctl import threadpool_limits

    _common.quiet_warnings()
    started = time.perf_counter()
    limits = threadpool_limits(limits=1)  # many tiny fits: threads cost more than they save
    n_jobs = n_jobs or (1 if quick else 2)
    machine = _common.machine_info(threads=1, n_jobs=n_jobs)
    results = {}
    for case in cases or N_SEEDS:
        n_seeds = N_SEEDS[case][0 if quick else 1]
        t0 = time.perf_counter()
        records = run_case(case, range(n_seeds), n_jobs)
        rate = float(np.mean([r["correct"] for r in records]))
        results[case] = {"expected": "weight:balanced" if case == "long tail" else "no reliable difference",
                         "n_seeds": n_seeds, "rate": rate, "target_rate": TARGET_RATE,
                         "target_met": bool(rate >= TARGET_RATE), "seeds": records,
                         "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
        if case == "long tail":
            gaps = holdout_gaps(range(n_seeds))
            results[case]["holdout_gap"] = {"mean": float(np.mean(gaps)), "min": float(min(gaps)),
                                            "values": [round(g, 4) for g in gaps]}  # fmt: skip
        print(f"{case:<14} {n_seeds:3d} seeds  rate {rate:.2f}  "
              f"{results[case]['seconds']:6.1f}s", flush=True)  # fmt: skip
    timing = cost(3 if quick else 11)
    print(f"cost ratio {timing['ratio']:.3f}", flush=True)
    limits.unregister()
    report = _common.end_of_run_header(
        NAME, quick, machine, started,
        settings={"compare": "cv=5, n_repeats=2, random_state=seed, reference='plain', "
                             "rope=0.01", "threshold": THRESHOLD},
        cases=results, cost=timing,
    )  # fmt: skip
    _common.write_json(_common.result_path(NAME, quick), report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds, fewer timed runs")
    parser.add_argument("--cases", nargs="+", default=None, choices=list(N_SEEDS),
                        help="only these cases")  # fmt: skip
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="seeds run in parallel (default 2, 1 with --quick)")  # fmt: skip
    args = parser.parse_args(argv)
    return run(args.quick, args.cases, args.n_jobs)


# --------------------------------------------------------------------------
# README section


def _closest_call(name, case):
    """``name max P(better) (strategy)``: how near a case came to a false recommendation."""
    top = max(case["seeds"], key=lambda record: record["max_p_better"])
    return f"{name} {top['max_p_better']:.2f} (`{top['max_p_better_strategy']}`)"


def render(result):
    """The README section of a calibration result file."""
    cases = result["cases"]
    rows = [_common.target_case(
        f"{name}: expect {case['expected']}", f"rate over {case['n_seeds']} seeds",
        case["rate"], case["target_rate"], case["target_met"]) for name, case in cases.items()]
    cost_ = result["cost"]
    rows.append(_common.target_case(
        "cost: statistics vs none, same folds", "time ratio", cost_["ratio"],
        cost_["target_ratio"], cost_["target_met"], "reference=None"))  # fmt: skip
    table, sentences = _common.targets(rows, result.get("quick"))
    lines = [f"Every case: `compare({result['settings']['compare']})` on a new data set per "
             f"seed, recommended only when P(better) ≥ {result['settings']['threshold']}."]
    noise = [name for name, case in cases.items() if case["expected"] != "weight:balanced"]
    if noise:
        rates = sorted({f"{cases[n]['rate']:.0%}" for n in noise})
        closest = "; ".join(_closest_call(name, cases[name]) for name in noise)
        lines.append(f"No real difference: \"no strategy is reliably better\" in "
                     f"{' to '.join([rates[0], rates[-1]] if len(rates) > 1 else rates)} of "
                     f"seeds. Highest P(better) of any strategy over the seeds: {closest}.")
    if "long tail" in cases:
        gap = cases["long tail"]
        held = gap.get("holdout_gap", {})
        lines.append(f"A real gap (held-out macro-F1 gain of weight:balanced "
                     f"{_common.fmt(held.get('mean'))} on average, at least "
                     f"{_common.fmt(held.get('min'))}): found in {gap['rate']:.0%} of seeds.")
    lines += sentences
    return _common.section(NAME, TITLE, result, table, _common.conclusions(lines))


if __name__ == "__main__":
    main()
