"""The modelling side of the command: estimators, the comparison run and the refit.

Importing this module loads scikit-learn and the strategies (seconds), so the
command imports it only once the options and the data are checked.
"""

import warnings

import joblib
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import get_tags

from ..compare import compare
from ..plotting import plot_comparison
from ..selection import BalancedClassifierCV
from ._checks import InputError

#: The base classifiers of ``--estimator``.
ESTIMATORS = {
    "lr": "StandardScaler + LogisticRegression(max_iter=1000)",
    "rf": "RandomForestClassifier(n_estimators=100)",
    "hgb": "HistGradientBoostingClassifier()",
    "knn": "StandardScaler + KNeighborsClassifier()",
}


def make_estimator(name, random_state):
    """The base classifier named by ``--estimator``."""
    if name == "lr":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    if name == "rf":
        return RandomForestClassifier(n_estimators=100, random_state=random_state)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=random_state)
    return make_pipeline(StandardScaler(), KNeighborsClassifier())


def allows_nan(estimator):
    """Whether the estimator accepts missing feature values, by its own tags."""
    return get_tags(estimator).input_tags.allow_nan


def check_missing_values(data, name):
    """Refuse missing feature values the estimator's tags do not accept."""
    if not data.missing or allows_nan(make_estimator(name, 0)):
        return
    able = [other for other in ESTIMATORS if allows_nan(make_estimator(other, 0))]
    columns = ", ".join(data.missing[:5]) + (", ..." if len(data.missing) > 5 else "")
    raise InputError(
        f"{data.source}: missing feature values in the columns {columns}, which "
        f"--estimator {name} does not accept; impute them first, or use --estimator "
        f"{' or '.join(able)}, which accept{'s' if len(able) == 1 else ''} missing values."
    )


def with_encoder(estimator, data):
    """``estimator`` behind the encoding of the feature columns of ``data``.

    The encoder is the first step of every compared pipeline (the strategies
    wrap the last step), so each fold fits it on its training rows and the
    refitted model predicts from rows of the data file. The embedded data set
    (an array) needs none.
    """
    if not hasattr(data.X, "columns"):
        return estimator
    text = list(data.text_columns)
    numbers = [c for c in data.X.columns if c not in text and data.X[c].dtype != bool]
    booleans = [c for c in data.X.columns if c not in text and data.X[c].dtype == bool]
    # booleans apart: a block mixing them with floats would come out as objects
    encoder = ColumnTransformer(
        [
            ("numeric", "passthrough", numbers),
            ("boolean", "passthrough", booleans),
            ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), text),
        ],
        sparse_threshold=0,
        verbose_feature_names_out=False,
    )
    steps = estimator.steps if isinstance(estimator, Pipeline) else [("classifier", estimator)]
    return Pipeline([("encode", encoder), *clone(Pipeline(steps)).steps])


def run_comparison(data, estimator, *, scheduler, progress, **options):
    """:func:`skbalance.compare.compare` on ``data``; return the results and the warnings.

    ``options`` are passed to compare; its errors become one-line input errors.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            results = compare(
                data.X,
                data.y,
                estimator=estimator,
                scheduler=scheduler,
                progress=progress,
                **options,
            )
        except ImportError as exc:
            raise InputError(str(exc)) from None
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
        except ValueError as exc:
            raise InputError(str(exc).splitlines()[0]) from None
    return results, caught


def refit(estimator, random_state, cv, data):
    """:class:`~skbalance.BalancedClassifierCV` of the compared strategies, fitted on every row.

    The automatic choice on ``estimator`` (the base of the comparison, its
    feature encoding first): the same candidates as compare, the same rule
    for leaving the plain model, the average of the candidates at least as
    good as it and the decision tuned on their out-of-fold probabilities. Returns the model and
    the warnings of its fit.
    """
    model = BalancedClassifierCV(estimator, strategies="all", cv=cv, random_state=random_state)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            model.fit(data.X, data.y)
        except Exception as exc:  # reported like a failing strategy of compare
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise InputError(
                f"--refit: BalancedClassifierCV failed to fit on all the rows "
                f"({type(exc).__name__}: {message})."
            ) from None
    return model, caught


def save_figure(results, path):
    """Save the figure of the comparison (matplotlib's Agg backend, chosen before the run)."""
    plot_comparison(results).savefig(path, dpi=150)


def save_model(model, path):
    """Save with joblib (.joblib, .pkl) or skops (.skops); no partial file left."""
    try:
        if path.suffix.lower() == ".skops":
            import skops.io  # the [io] extra, checked before the run

            skops.io.dump(model, path)
        else:
            joblib.dump(model, path)
    except Exception as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise
        raise InputError(  # an object the format cannot store
            f"--refit {path}: cannot save the model ({type(exc).__name__}: {exc}); "
            "try a .joblib file."
        ) from None
