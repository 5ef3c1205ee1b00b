"""The command's data: the features and labels of a file, or the embedded data set.

Reads with pandas only; the one encoding of the feature columns (a
``ColumnTransformer`` at the head of every compared pipeline) is built by
:mod:`skbalance.cli._model` from the text columns found here.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pandas.api import types

from ._checks import InputError, balance_note, check_column, check_target, decode_error

#: ``--quick``: the rows kept at most, and the rows each class keeps at least
#: (all of a smaller class).
QUICK_ROWS = 5000
QUICK_CLASS_ROWS = 50


@dataclass(frozen=True)
class Data:
    """Features and labels ready for the comparison.

    ``X`` is the DataFrame of the feature columns of a file (encoded inside
    the compared pipelines, so that a refitted model predicts from such rows)
    or the array of the embedded data set; ``text_columns`` are the columns
    one-hot encoded and ``missing`` the numeric columns holding missing values.
    """

    X: object
    y: np.ndarray
    sizes: object
    source: str
    target: object = None
    text_columns: tuple = ()
    missing: tuple = ()
    notices: tuple = ()

    @property
    def n_rows(self):
        return len(self.y)

    def description(self):
        """One line: where the data comes from and its classes."""
        counts = self.sizes.counts
        target = "" if self.target is None else f", target {self.target!r}"
        return (
            f"Data: {self.source}: {self.n_rows} rows, {self.X.shape[1]} features"
            f"{target} with {len(counts)} classes of {counts[0]} down to {counts[-1]} samples."
        )


def read_data(path, kind, target, sep, encoding, cv):
    """Read a data file whose header was checked; return its :class:`Data`."""
    frame = _read_frame(path, kind, sep, encoding)
    check_column(frame.columns, target, path, sep)
    missing = frame[target].isna().to_numpy()
    notices = []
    if missing.any():
        notices.append(f"dropped {int(missing.sum())} rows whose target {target!r} is missing.")
    labels = frame[target][~missing]
    sizes = check_target(labels, f"{path}: the target {target!r}", int(missing.sum()), cv)
    X = frame.loc[~missing].drop(columns=[target])
    if X.shape[1] == 0:
        raise InputError(f"{path}: no feature column besides the target {target!r}.")
    text = _text_columns(X, path)
    if text:
        names = ", ".join(map(str, text[:5])) + (", ..." if len(text) > 5 else "")
        notices.append(
            f"one-hot encoded {len(text)} non-numeric column{'s' if len(text) > 1 else ''} "
            f"({names}) inside each strategy."
        )
    numeric = X.drop(columns=text)
    with_nan = numeric.columns[numeric.isna().any().to_numpy()]
    return Data(
        X=X,
        y=_labels(labels),
        sizes=sizes,
        source=str(path),
        target=target,
        text_columns=tuple(text),
        missing=tuple(str(column) for column in with_nan),
        notices=tuple(notices),
    )


def embedded_data(cv):
    """The embedded long-tailed digits (the command's data when no file is given)."""
    # imported here: scikit-learn loads only once the options are checked
    from ..datasets import load_long_tailed_digits

    digits = load_long_tailed_digits(imbalance_ratio=100, random_state=0)
    sizes = check_target(pd.Series(digits.target), "the embedded data", 0, cv)
    return Data(
        X=digits.data,
        y=digits.target,
        sizes=sizes,
        source="no DATA file given, using the embedded long-tailed digits",
    )


def with_notes(data):
    """``data`` with the note on balanced classes, when they are."""
    note = balance_note(data.sizes)
    return data if note is None else replace(data, notices=(*data.notices, note))


def quick_subset(data, random_state):
    """A stratified sub-sample of at most about ``QUICK_ROWS`` rows, for ``--quick``.

    Every class keeps the same share of its rows, so the class ratios stay
    those of the data, but at least ``QUICK_CLASS_ROWS`` rows (all of a smaller
    class), so that the rare classes are not sub-sampled away. A note says so.
    """
    if data.n_rows <= QUICK_ROWS:
        note = f"--quick: 3 folds on all the {data.n_rows} rows (no sub-sampling needed)."
        return replace(data, notices=(*data.notices, note))
    share = QUICK_ROWS / data.n_rows
    rng = np.random.RandomState(random_state)
    rows = []
    for label in data.sizes.labels:
        members = np.flatnonzero(data.y == label)
        keep = min(len(members), max(round(share * len(members)), QUICK_CLASS_ROWS))
        rows.append(rng.choice(members, size=keep, replace=False))
    rows = np.sort(np.concatenate(rows))
    X = data.X.iloc[rows] if hasattr(data.X, "iloc") else data.X[rows]
    y = data.y[rows]
    sizes = check_target(pd.Series(y), "the --quick sample", 0, 2)
    note = (
        f"--quick: {len(rows)} of the {data.n_rows} rows, the large classes sub-sampled "
        f"to {share:.1%} of their rows (each class keeps at least {QUICK_CLASS_ROWS}); "
        "run without --quick for the full comparison."
    )
    return replace(data, X=X, y=y, sizes=sizes, notices=(*data.notices, note))


def _read_frame(path, kind, sep, encoding):
    """The file as a DataFrame; read errors in one line."""
    try:
        if kind == "csv":
            return pd.read_csv(path, sep=sep, encoding=encoding)
        return pd.read_parquet(path)
    except ImportError:
        raise InputError('reading Parquet needs pyarrow: pip install "skbalance[io]".') from None
    except UnicodeDecodeError as exc:
        raise decode_error(path, exc, encoding) from None
    except Exception as exc:  # parser errors of pandas and pyarrow
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise InputError(
            f"{path}: cannot be read as {kind.upper()} ({type(exc).__name__}: {message})."
        ) from None


def _text_columns(X, path):
    """The text and categorical columns (to one-hot encode); refuse other non-numeric kinds."""
    text, unsupported = [], []
    for name in X.columns:
        column = X[name]
        if types.is_complex_dtype(column):
            unsupported.append(str(name))
        elif types.is_bool_dtype(column) or types.is_numeric_dtype(column):
            continue
        elif (
            types.is_object_dtype(column)
            or types.is_string_dtype(column)
            or isinstance(column.dtype, pd.CategoricalDtype)
        ):
            text.append(name)
        else:
            unsupported.append(f"{name} ({column.dtype})")
    if unsupported:
        raise InputError(
            f"{path}: unsupported feature columns {', '.join(unsupported[:5])}; convert "
            "them to numbers or text first."
        )
    return text


def _labels(y):
    """Labels as a NumPy array: integral floats (a column with NaN) become ints."""
    values = y.to_numpy()
    if values.dtype.kind == "f":
        return values.astype(np.int64)  # check_target refused non-integral floats
    if values.dtype.kind not in "biufcUS" and all(isinstance(v, str) for v in values):
        return values.astype(str)
    return values
