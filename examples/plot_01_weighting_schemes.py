"""
===========================================
Weighting schemes on a long-tailed data set
===========================================

Each weighting scheme of :func:`skbalance.weights.compute_class_weights` turns
the class counts into one weight per class. This example draws them side by
side on :func:`~skbalance.datasets.load_long_tailed_digits`, whose ten classes
shrink from 174 samples (digit 0) to a single one (digit 9).
"""

# %%
# The data: an exponential long tail
# ----------------------------------
#
# The data set is scikit-learn's bundled digits, sub-sampled so that the
# largest class is 100 times the smallest. Nothing is downloaded.

import matplotlib.pyplot as plt
import numpy as np

from skbalance.datasets import load_long_tailed_digits
from skbalance.weights import SCHEMES, compute_class_weights

digits = load_long_tailed_digits(imbalance_ratio=100, random_state=0)
y = digits.target
print("samples per digit:", digits.class_counts.tolist())

# %%
# Weights of every scheme
# -----------------------
#
# All schemes use the default normalisation, ``normalize="mean"``: the weights
# average to 1 over the samples, so the schemes are directly comparable.
# ``"balanced"`` and ``"inverse"`` differ only by a constant before
# normalisation, so their bars coincide.

weights = {scheme: compute_class_weights(y, scheme) for scheme in SCHEMES}
classes = np.unique(y)

fig, (ax_counts, ax_weights) = plt.subplots(
    2, 1, figsize=(9, 7), height_ratios=[1, 2], sharex=True, layout="constrained"
)
ax_counts.bar(classes, digits.class_counts, color="0.55")
ax_counts.set_ylabel("samples")
ax_counts.set_title("Class sizes of the long-tailed digits")

width = 0.8 / len(SCHEMES)
for i, scheme in enumerate(SCHEMES):
    offset = (i - (len(SCHEMES) - 1) / 2) * width
    values = [weights[scheme][c] for c in classes]
    ax_weights.bar(classes + offset, values, width=width, label=scheme)
ax_weights.set_yscale("log")
ax_weights.set_xticks(classes)
ax_weights.set_xlabel("digit (class)")
ax_weights.set_ylabel("class weight (log scale)")
ax_weights.set_title('Class weights per scheme (normalize="mean")')
ax_weights.legend(ncols=3, fontsize="small")
plt.show()

# %%
# The ratio between the weight of the rarest and of the most frequent class
# tells how strongly each scheme corrects:

for scheme in SCHEMES:
    w = weights[scheme]
    print(f"{scheme:>17}: w[9] / w[0] = {w[9] / w[0]:7.1f}")

# %%
# Softening a scheme: ``max_ratio`` and ``beta``
# ----------------------------------------------
#
# ``max_ratio`` caps the ratio between the largest and the smallest weight
# (raw weights are clipped before the normalisation); ``beta`` sets where the
# ``"effective_number"`` scheme stops distinguishing large classes. Both tame
# the weight of a class of one or two samples.

fig, (ax_cap, ax_beta) = plt.subplots(1, 2, figsize=(10, 4), sharey=True, layout="constrained")
for max_ratio in [None, 50, 10, 3]:
    w = compute_class_weights(y, "balanced", max_ratio=max_ratio)
    ax_cap.plot(classes, [w[c] for c in classes], marker="o", label=f"max_ratio={max_ratio}")
ax_cap.set_title('"balanced" with a cap')
for beta in [0.9, 0.99, 0.999, 0.9999]:
    w = compute_class_weights(y, "effective_number", beta=beta)
    ax_beta.plot(classes, [w[c] for c in classes], marker="o", label=f"beta={beta}")
ax_beta.set_title('"effective_number" for several beta')
for ax in (ax_cap, ax_beta):
    ax.set_yscale("log")
    ax.set_xticks(classes)
    ax.set_xlabel("digit (class)")
    ax.legend(fontsize="small")
ax_cap.set_ylabel("class weight (log scale)")
plt.show()

# %%
# The same weights are available as a transformer of labels,
# :class:`~skbalance.ClassWeightTransformer`, and are what
# :class:`~skbalance.BalancedClassifier` computes inside ``fit``.
