"""Class-imbalanced classification for the scikit-learn ecosystem."""

import importlib
import sys
from types import ModuleType

__version__ = "0.1.0.dev0"

# Public name -> the module defining it. The names are imported on first use
# (PEP 562), so that ``import skbalance.cli`` (the command's --help, --version
# and input errors) does not pay for importing scikit-learn.
_EXPORTS = {
    "BalancedClassifier": "classifier",
    "BalancedClassifierCV": "selection",
    "ClassWeightResampler": "resampling",
    "ClassWeightTransformer": "transformer",
    "CostSensitiveClassifier": "decision",
    "FocalLossClassifier": "focal",
    "SmallClassRouter": "router",
    "TunedDecisionClassifierCV": "decision",
    "compare": "compare",
    "compute_class_weights": "weights",
}

__all__ = [
    "BalancedClassifier",
    "BalancedClassifierCV",
    "ClassWeightResampler",
    "ClassWeightTransformer",
    "CostSensitiveClassifier",
    "FocalLossClassifier",
    "SmallClassRouter",
    "TunedDecisionClassifierCV",
    "compare",
    "compute_class_weights",
]


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The package's module type: ``skbalance.compare`` stays the function.

    Importing the submodule ``skbalance.compare`` binds the module to the
    package attribute of the same name; an eager ``from .compare import
    compare`` used to rebind the function after it, which this keeps doing.
    """

    def __setattr__(self, name, value):
        if isinstance(value, ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
