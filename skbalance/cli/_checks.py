"""Checks of the command's options, the data file's header and the target column.

Nothing here imports scikit-learn: these checks answer in well under a
second, before the modelling stack is loaded.
"""

import codecs
import csv
import gzip
from dataclasses import dataclass

DATA_SUFFIXES = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet", ".pq": "parquet"}
OUTPUT_SUFFIXES = (".csv", ".json")
PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg")
MODEL_SUFFIXES = (".joblib", ".pkl", ".skops")

#: Largest/smallest class size up to which the classes count as balanced.
BALANCED_RATIO = 1.5


class InputError(Exception):
    """Bad input from the user: reported in one line, without a traceback."""


def check_output_path(path, suffixes, option):
    """Fail before the run, not after it, on an unusable output path."""
    if path is None:
        return
    if path.suffix.lower() not in suffixes:
        raise InputError(
            f"{option} {path}: unsupported extension {path.suffix!r}; use one of "
            f"{', '.join(suffixes)}."
        )
    if not path.parent.is_dir():
        raise InputError(f"{option} {path}: the directory {path.parent} does not exist.")


def require_matplotlib():
    """Select matplotlib's file backend; fail in one line without the [plot] extra."""
    try:
        import matplotlib
    except ImportError:
        raise InputError('--plot needs matplotlib: pip install "skbalance[plot]".') from None
    matplotlib.use("Agg")


def require_skops():
    """Fail in one line when ``--refit FILE.skops`` cannot be written."""
    try:
        import skops.io  # noqa: F401
    except ImportError:
        raise InputError(
            '--refit FILE.skops needs skops: pip install "skbalance[io]"; or save '
            "to a .joblib file."
        ) from None


def check_sep(sep):
    """The one-character separator named by ``--sep`` (``\\t`` or ``tab`` is a tab)."""
    sep = {"\\t": "\t", "tab": "\t"}.get(sep, sep)
    if len(sep) != 1:
        raise InputError(f"--sep {sep!r}: give one character, such as ';' or '\\t'.")
    return sep


def check_encoding(encoding):
    """Fail in one line on an encoding name Python does not know."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"--encoding {encoding!r}: unknown encoding; try utf-8, latin-1 or cp1252."
        ) from None


def data_format(path):
    """``"csv"`` or ``"parquet"``, from the file name; fail on anything else."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a data file.")
    name = path.name.lower()
    for suffix, kind in DATA_SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    raise InputError(
        f"{path}: unsupported file type {path.suffix!r}; use a CSV (.csv, .csv.gz) "
        "or Parquet (.parquet, .pq) file."
    )


def decode_error(path, exc, encoding):
    """The one-line error for a file that is not text in ``encoding``."""
    return InputError(
        f"{path}: cannot be read as CSV: not {encoding} text (byte "
        f"{exc.object[exc.start:exc.start + 1]!r} at position {exc.start}); if it is "
        "a text file, pass its encoding, e.g. --encoding latin-1."
    )


def check_header(path, target, sep, encoding):
    """Check that the first row of a CSV file names ``target``, reading only that row."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding=encoding, newline="") as file:
            header = next(csv.reader(file, delimiter=sep), None)
    except UnicodeDecodeError as exc:
        raise decode_error(path, exc, encoding) from None
    except (OSError, EOFError, csv.Error) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({type(exc).__name__}: {exc}).") from None
    if not header:
        raise InputError(f"{path}: the file is empty; the first row must name the columns.")
    header[0] = header[0].removeprefix("\ufeff")  # a byte-order mark
    check_column(header, target, path, sep)


def check_column(columns, target, path, sep):
    """Fail when ``target`` is not a column; suggest a separator when one shows."""
    columns = [str(column) for column in columns]
    if target in columns:
        return
    shown = ", ".join(columns[:10]) + (", ..." if len(columns) > 10 else "")
    raise InputError(
        f"{path}: no column {target!r}; its columns are: {shown}.{_sep_hint(columns, sep)}"
    )


def _sep_hint(columns, sep):
    """Which ``--sep`` to try when the header looks split on the wrong character."""
    line = sep.join(columns)
    found = [(line.count(other), other) for other in (";", "\t", "|") if other != sep]
    count, best = max(found)
    if not count:
        return ""
    shown = "'\\t'" if best == "\t" else repr(best)
    return f" The header contains {shown}: try --sep {shown}."


@dataclass(frozen=True)
class ClassSizes:
    """Sizes of the classes of a target, largest first."""

    labels: list
    counts: list

    @property
    def ratio(self):
        return self.counts[0] / self.counts[-1]

    @property
    def median(self):
        counts = sorted(self.counts)
        middle = len(counts) // 2
        return counts[middle] if len(counts) % 2 else (counts[middle - 1] + counts[middle]) / 2


def check_target(y, name, n_dropped, cv):
    """Refuse a target that is not a usable class label; return its class sizes.

    Parameters
    ----------
    y : pandas.Series
        The target column, rows with a missing label already dropped.
    name : str
        Description of the target for the messages (file and column).
    n_dropped : int
        Number of rows dropped for a missing label.
    cv : int
        Number of cross-validation folds the run will use.

    Returns
    -------
    sizes : ClassSizes
        The classes and their sizes, largest first.
    """
    _check_not_continuous(y, name)
    counts = y.value_counts()
    if len(counts) < 2:
        found = "no labelled row" if len(counts) == 0 else f"a single class ({counts.index[0]!r})"
        dropped = f" once {n_dropped} rows with a missing label are dropped" if n_dropped else ""
        raise InputError(
            f"{name} has {found}{dropped}; at least two classes are needed: name the "
            "column of class labels with --target."
        )
    sizes = ClassSizes(counts.index.tolist(), [int(n) for n in counts.to_numpy()])
    _check_cross_validation(sizes, len(y), name, cv)
    return sizes


def _check_not_continuous(y, name):
    """Refuse float labels that are not whole numbers, as scikit-learn's classifiers do."""
    values = y.to_numpy()
    if values.dtype.kind != "f" or (values == values.round()).all():
        return
    examples = ", ".join(f"{v:g}" for v in y[values != values.round()].unique()[:3])
    raise InputError(
        f"{name} looks continuous ({y.nunique()} distinct numbers such as {examples}), "
        "not a class label: skbalance compares classifiers; name a column of classes "
        "with --target, or bin the values first (e.g. with pandas.cut)."
    )


def _check_cross_validation(sizes, n_rows, name, cv):
    """Refuse more classes than a cross-validation can score."""
    n_classes = len(sizes.counts)
    if n_classes > n_rows / 2:
        raise InputError(
            f"{name} has {n_classes} classes in {n_rows} rows: most classes have a "
            "single row, so it looks like an identifier rather than a label; name the "
            "column of class labels with --target."
        )
    if sizes.median < cv:
        fewer = f", or use fewer folds (--cv {int(sizes.median)})" if sizes.median >= 2 else ""
        raise InputError(
            f"{name} has {n_classes} classes of median size {sizes.median:g}, fewer "
            f"than the {cv} cross-validation folds: most classes cannot appear in "
            f"every test fold. Merge the rare classes (or use a coarser label){fewer}."
        )


def balance_note(sizes):
    """A note for balanced classes, where imbalance strategies should not help."""
    if sizes.ratio > BALANCED_RATIO:
        return None
    return (
        f"the classes are balanced (largest/smallest = {sizes.ratio:.2f}): imbalance "
        "strategies are not expected to help here; expect them to tie with plain."
    )
