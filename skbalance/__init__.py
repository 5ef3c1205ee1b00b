"""Class-imbalanced classification for the scikit-learn ecosystem."""

from .classifier import BalancedClassifier
from .selection import BalancedClassifierCV
from .resampling import ClassWeightResampler
from .transformer import ClassWeightTransformer
from .weights import compute_class_weights

__version__ = "0.1.0.dev0"

__all__ = [
    "BalancedClassifier",
    "BalancedClassifierCV",
    "ClassWeightResampler",
    "ClassWeightTransformer",
    "compute_class_weights",
]
