"""Helpers shared by the benchmark scripts: machine info, timing, result files, README text.

Timings on a shared machine are noisy, so every benchmark reports ratios of
times measured in the same run (the candidate and its reference interleaved),
never absolute times alone, and records the load average around the run.

Every script (``benchmarks/bench_<name>.py`` for performance,
``benchmarks/studies/<name>.py`` for quality) writes
:func:`result_path` ``(name, quick)`` and renders its own README section
with :func:`section` and the formatting helpers at the end of this module.
"""

import csv
import gc
import json
import math
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

#: Directory the result files are written to.
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def result_path(name, quick, suffix=".json"):
    """``results/<name>.json``, or ``results/<name>.quick.json`` for a quick run."""
    return RESULTS_DIR / f"{name}{'.quick' if quick else ''}{suffix}"


def load_average():
    """The 1, 5 and 15 minute load averages, or None where unavailable."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # not available on every platform
        return None


def machine_info(**extra):
    """Versions, CPU count, thread pools and load: what the numbers depend on.

    Call it when the run starts (after any thread limit the whole run uses),
    so that ``load_average_at_start`` is the load before the measurements.

    Parameters
    ----------
    **extra
        Further entries, added after the common ones (for example
        ``threads=1`` for a run limited to one BLAS/OpenMP thread).

    Returns
    -------
    info : dict
        Python, platform, processor, CPU count, the versions of NumPy, SciPy,
        scikit-learn, imbalanced-learn, joblib and skbalance, the thread pools
        (``threadpoolctl``), ``load_average_at_start`` and ``extra``.
    """
    import imblearn
    import joblib
    import scipy
    import sklearn
    from threadpoolctl import threadpool_info

    info = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
        "joblib": joblib.__version__,
        "threadpools": [
            {key: pool.get(key) for key in ("user_api", "internal_api", "num_threads")}
            for pool in threadpool_info()
        ],
        "load_average_at_start": load_average(),
    }
    try:
        import skbalance

        info["skbalance"] = skbalance.__version__
    except ImportError:  # pragma: no cover - the benchmarks need it anyway
        pass
    info.update(extra)
    return info


def long_tailed_shares(n_classes, imbalance_ratio):
    """Class shares decaying exponentially from the first class to the last.

    Parameters
    ----------
    n_classes : int
        Number of classes, at least 2.
    imbalance_ratio : float
        Share of the first (largest) class over that of the last (smallest).

    Returns
    -------
    shares : ndarray of shape (n_classes,)
        The share of each class, largest first; they sum to 1.
    """
    decay = imbalance_ratio ** (-np.arange(n_classes) / (n_classes - 1))
    return decay / decay.sum()


def long_tailed_classification(
    n_samples, n_classes, imbalance_ratio, standardise=False, **params
):
    """``make_classification(random_state=0)`` with :func:`long_tailed_shares` class sizes.

    Parameters
    ----------
    n_samples, n_classes : int
        Rows and classes.
    imbalance_ratio : float
        Share of the largest class over that of the smallest.
    standardise : bool, default=False
        Return the features through a ``StandardScaler``.
    **params
        The other parameters of ``make_classification`` (``n_features``,
        ``n_informative``, ...).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    """
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(
        n_samples=n_samples,
        n_classes=n_classes,
        weights=long_tailed_shares(n_classes, imbalance_ratio).tolist(),
        random_state=0,
        **params,
    )
    return (StandardScaler().fit_transform(X) if standardise else X), y


def timed(func, clock="wall"):
    """Time of one call of ``func()``, after a garbage collection.

    ``clock="wall"`` measures elapsed time; ``clock="cpu"`` the CPU time of
    this process (all its threads), which other processes competing for the
    cores do not inflate as much: with one thread it is the work done. The
    result of ``func()`` is dropped before the clock is read again, so
    freeing it (large arrays, for a resampler) is part of the time, as in
    :func:`timed_both`.
    """
    timer = time.perf_counter if clock == "wall" else time.process_time
    gc.collect()
    start = timer()
    func()
    return timer() - start


def timed_both(func):
    """Wall and CPU time of one call of ``func()`` (after a garbage collection)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_times(funcs, repeats, warm_up=True, clock="wall", alternate=False):
    """Median time of each function over ``repeats`` interleaved runs.

    Parameters
    ----------
    funcs : dict of str -> callable
        The functions to time, by name.
    repeats : int
        Number of timed runs of each function.
    warm_up : bool, default=True
        Run every function once, untimed, first.
    clock : {"wall", "cpu"}, default="wall"
        Elapsed time or CPU time of the process, see :func:`timed`.
    alternate : bool, default=False
        Take turns in reverse order every other repeat, so that a slow drift
        of the machine's load does not favour the functions that go first.

    Returns
    -------
    medians : dict of str -> float
        Median seconds of each function.
    times : dict of str -> list of float
        Every timed run, in order. The functions take turns within each
        repeat, so a change of machine load during the run hits all of them
        alike and the ratios of the medians stay meaningful.
    """
    if warm_up:
        for func in funcs.values():
            func()
    times = {name: [] for name in funcs}
    order = list(funcs.items())
    for repeat in range(repeats):
        for name, func in order[::-1] if alternate and repeat % 2 else order:
            times[name].append(timed(func, clock))
    medians = {name: float(np.median(values)) for name, values in times.items()}
    return medians, {name: [round(t, 5) for t in values] for name, values in times.items()}


def geometric_mean(values):
    """Geometric mean of the finite positive values (NaN if there are none)."""
    values = [v for v in values if v is not None and np.isfinite(v) and v > 0]
    if not values:
        return float("nan")
    return float(math.exp(np.mean(np.log(values))))


def header(name, quick, **extra):
    """The common first keys of a result file."""
    return {
        "benchmark": name,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": bool(quick),
        **extra,
    }


def end_of_run_header(name, quick, machine, started, **extra):
    """The common first keys of a result file, made when the run is over.

    Parameters
    ----------
    name : str
        The benchmark, as in :func:`header`.
    quick : bool
        Whether this is a quick (smoke) run.
    machine : dict
        The run's :func:`machine_info`; the load average now is added to it
        as ``load_average_at_end``.
    started : float
        ``time.perf_counter()`` when the run started.
    **extra
        The other keys of the result file, in order.

    Returns
    -------
    report : dict
        :func:`header` with ``total_seconds`` (the run's wall time),
        ``machine`` and ``extra``.
    """
    machine["load_average_at_end"] = load_average()
    return header(
        name,
        quick,
        total_seconds=round(time.perf_counter() - started, 1),
        machine=machine,
        **extra,
    )


def _jsonable(value):
    """Replace NaN/inf by None and NumPy scalars by Python ones (strict JSON)."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path, report):
    """Write ``report`` as indented, strict JSON (NaN becomes null)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_jsonable(report), indent=2, allow_nan=False) + "\n")
    print(f"wrote {path}")


def write_csv(path, rows, columns=None):
    """Write a list of dicts as CSV (columns: ``columns`` or the keys of the first row)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [_jsonable(row) for row in rows]
    columns = list(columns or (rows[0].keys() if rows else []))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path}")


def quiet_warnings():
    """Silence warnings here and in joblib's worker processes.

    Convergence and undefined-metric warnings are the same for every method
    compared; the benchmarks record failures (exceptions), not warnings.
    """
    import warnings

    os.environ["PYTHONWARNINGS"] = "ignore"
    warnings.simplefilter("ignore")


# --------------------------------------------------------------------------
# README text: each script's ``render(result)`` builds its section from these


def fmt(value, digits=3):
    """A number for a table: ``digits`` decimals, "—" when missing, yes/**no** for booleans."""
    if value is None or isinstance(value, bool):
        return "—" if value is None else ("yes" if value else "**no**")
    if isinstance(value, (int, float)) and not math.isfinite(value):
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def table(header, rows):
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def short(text, n=90):
    """``text`` on one line, at most ``n`` characters, safe in a table cell."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= n else text[: n - 1] + "…"


def conclusions(lines):
    """The "What to conclude" list of a section."""
    return "**What to conclude.**\n\n" + "\n".join(f"- {line}" for line in lines)


def section(name, title, report, *parts):
    """A README section: heading, where the numbers come from, then ``parts``.

    Parameters
    ----------
    name : str
        The script's name (``bench_<name>.py`` or ``studies/<name>.py``).
    title : str
        What it measures, after the name in the heading.
    report : dict
        The result file, as :func:`header` began it.
    *parts : str
        Paragraphs, tables and lists, in order.
    """
    quick = bool(report.get("quick"))
    mode = "quick run (smaller, noisier: not the reference numbers)" if quick else "full run"
    source = f"`benchmarks/results/{result_path(name, quick).name}`"
    head = f"### {name} — {title}\n\nSource: {source}, {mode}, {str(report['date'])[:10]}."
    return "\n\n".join([head, *parts])


def target_case(case, measure, value, target, met, reference=None):
    """One measured value against its target, for :func:`targets`."""
    return {"case": case, "measure": measure, "value": value, "target": target, "met": met,
            "reference": reference}  # fmt: skip


def targets(cases, quick):
    """A table of :func:`target_case` rows and the sentence saying which targets were missed.

    Returns
    -------
    table : str
    sentences : list of str
        How many targets were met, which were missed, and a warning for a quick run.
    """
    rows = [[short(c["case"], 60), f"{c['measure']} = {fmt(c['value'], 3)}",
             short(c["reference"] or "—", 70), fmt(c["target"], 2), fmt(c["met"])]
            for c in cases]  # fmt: skip
    missed = [c for c in cases if not c["met"]]
    sentence = f"Targets met: {len(cases) - len(missed)} of {len(cases)}"
    if missed:
        sentence += "; missed: " + "; ".join(
            f"{short(c['case'], 60)} ({c['measure']} {fmt(c['value'], 3)} vs "
            f"{fmt(c['target'], 2)})"
            for c in missed
        )
    sentences = [sentence + "."]
    if quick:
        sentences.append("A quick run: the ratios are noisier than a full run's.")
    return table(["case", "measured", "against", "target", "met"], rows), sentences


def score_table(rows):
    """``(model, macro-F1, balanced accuracy, G-mean)`` rows as a table, best macro-F1 first.

    Returns
    -------
    table : str
    best, worst : tuple
        The rows with the highest and the lowest macro-F1.
    """
    rows = sorted(rows, key=lambda row: -row[1])
    text = table(["model", "macro-F1", "balanced acc.", "G-mean"],
                 [[f"`{model}`", *map(fmt, values)] for model, *values in rows])  # fmt: skip
    return text, rows[0], rows[-1]
