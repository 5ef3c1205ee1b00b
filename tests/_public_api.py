"""The public API of skbalance, discovered from the public modules' ``__all__``;
shared by the tests that check every public object."""

import importlib
import inspect
import pkgutil

from sklearn.base import BaseEstimator

import skbalance


def public_modules():
    """The public modules of skbalance, skipping those whose optional extra is missing."""
    modules = []
    for info in pkgutil.iter_modules(skbalance.__path__):
        if info.name.startswith("_"):
            continue
        try:
            modules.append(importlib.import_module(f"skbalance.{info.name}"))
        except ModuleNotFoundError as exc:
            if (exc.name or "skbalance").split(".")[0] == "skbalance":
                raise
    return modules


def public_objects():
    """``(import path, object)`` of every name a public module lists in ``__all__``."""
    return [
        (f"{module.__name__}.{name}", getattr(module, name))
        for module in public_modules()
        for name in getattr(module, "__all__", ())
    ]


def public_estimators():
    """Every concrete estimator class of the public modules, sorted by name."""
    found = {
        obj.__name__: obj
        for _, obj in public_objects()
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and not inspect.isabstract(obj)
    }
    return [found[name] for name in sorted(found)]
