"""Class-imbalanced classification for the scikit-learn ecosystem."""

from .classifier import BalancedClassifier
from .compare import compare
from .focal import FocalLossClassifier
from .resampling import ClassWeightResampler
from .router import SmallClassRouter
from .selection import BalancedClassifierCV
from .transformer import ClassWeightTransformer
from .weights import compute_class_weights

__version__ = "0.1.0.dev0"

__all__ = [
    "BalancedClassifier",
    "BalancedClassifierCV",
    "ClassWeightResampler",
    "ClassWeightTransformer",
    "FocalLossClassifier",
    "SmallClassRouter",
    "compare",
    "compute_class_weights",
]
