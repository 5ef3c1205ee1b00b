"""numpydoc validation of the docstrings of the public API.

Every estimator (with its methods) and every function that a public module
lists in ``__all__`` is validated with ``numpydoc.validate``, with the scope and
the exemptions of scikit-learn's own ``sklearn/tests/test_docstrings.py``
(estimators and functions; ``filter_errors`` below). Methods that a class
inherits from outside skbalance (``get_params``, ...) are scikit-learn's to
check.
"""

import inspect

import pytest
from _public_api import public_objects
from sklearn.base import BaseEstimator

numpydoc_validation = pytest.importorskip("numpydoc.validate")


def _defining_class(cls, name):
    """The class of ``cls``'s MRO whose ``__dict__`` defines ``name``."""
    return next(klass for klass in cls.__mro__ if name in vars(klass))


def _public_methods(cls):
    """Public methods and properties that ``cls`` or a skbalance base defines."""
    methods = []
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = _defining_class(cls, name)
        if not owner.__module__.startswith("skbalance"):
            continue
        if callable(getattr(cls, name)) or isinstance(vars(owner)[name], property):
            methods.append(name)
    return sorted(methods)


def _documented():
    """``(import path, class or None, method name or None)`` of every object to check."""
    items = []
    for path, obj in public_objects():
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            items.append((path, obj, None))
            items.extend((f"{path}.{name}", obj, name) for name in _public_methods(obj))
        elif inspect.isfunction(obj):
            items.append((path, None, None))
    return items


def filter_errors(errors, method, Klass=None):
    """Drop the error codes scikit-learn's ``test_docstrings.py`` exempts.

    - RT02 (first line of Returns holds only the type), GL01 and GL02 (blank
      lines around the summary): exempt everywhere;
    - PR02 and GL08 on a property (duck-typed methods, deprecated attributes);
    - EX01, SA01 and ES01 (Examples, See Also, extended summary): required on
      classes and functions only, not on methods.
    """
    for code, message in errors:
        if code in ("RT02", "GL01", "GL02"):
            continue
        if (
            code in ("PR02", "GL08")
            and method is not None
            and isinstance(inspect.getattr_static(Klass, method), property)
        ):
            continue
        if method is not None and code in ("EX01", "SA01", "ES01"):
            continue
        yield code, message


DOCUMENTED = _documented()


def test_public_api_is_found():
    """Check that the discovery finds the main estimators, their methods and functions."""
    paths = {path for path, _, _ in DOCUMENTED}
    assert "skbalance.selection.BalancedClassifierCV.fit" in paths
    assert "skbalance.classifier.BalancedClassifier.predict_proba" in paths
    assert "skbalance.weights.compute_class_weights" in paths
    assert not any(path.endswith(".get_params") for path in paths)


@pytest.mark.parametrize("path, Klass, method", DOCUMENTED, ids=[p for p, _, _ in DOCUMENTED])
def test_docstring(path, Klass, method):
    """Check a public docstring with numpydoc's validation."""
    result = numpydoc_validation.validate(path)
    errors = list(filter_errors(result["errors"], method, Klass=Klass))
    assert not errors, "\n".join(
        [f"{path}:", result["docstring"], *(f" - {code}: {msg}" for code, msg in errors)]
    )
