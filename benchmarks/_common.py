"""Helpers shared by the benchmark scripts: machine info, timing, result files.

Timings on a shared machine are noisy, so every benchmark reports ratios of
times measured in the same run (the candidate and its reference interleaved),
never absolute times alone, and records the load average around the run.
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
    """``results/<name>.json``, or ``results/<name>_quick.json`` for a quick run."""
    return RESULTS_DIR / f"{name}{'_quick' if quick else ''}{suffix}"


def load_average():
    """The 1, 5 and 15 minute load averages, or None where unavailable."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # not available on every platform
        return None


def machine_info():
    """Versions, CPU count, thread pools and load: what the numbers depend on."""
    import imblearn
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
    return info


def timed(func, clock="wall"):
    """Time of one call of ``func()`` (after a garbage collection), and its result.

    ``clock="wall"`` measures elapsed time; ``clock="cpu"`` the CPU time of
    this process (all its threads), which other processes competing for the
    cores do not inflate as much: with one thread it is the work done.
    """
    timer = time.perf_counter if clock == "wall" else time.process_time
    gc.collect()
    start = timer()
    result = func()
    return timer() - start, result


def timed_both(func):
    """Wall and CPU time of one call of ``func()`` (after a garbage collection)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_times(funcs, repeats, warm_up=True, clock="wall"):
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
    for _ in range(repeats):
        for name, func in funcs.items():
            times[name].append(timed(func, clock)[0])
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
