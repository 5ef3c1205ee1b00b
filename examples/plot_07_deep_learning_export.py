"""
===================================
Class weights for Keras and PyTorch
===================================

Deep-learning frameworks take class weights in their own formats: Keras wants
a ``class_weight`` dict keyed by class index, PyTorch's
``CrossEntropyLoss(weight=...)`` a tensor aligned with the output units.
:class:`~skbalance.ClassWeightTransformer` computes the weights with any
scheme of skbalance and exports them to both. This example shows the objects
only; neither framework is imported.
"""

# %%
# Labels as a network sees them
# -----------------------------
#
# Networks predict class *indices* ``0 .. k-1``. scikit-learn's
# :class:`~sklearn.preprocessing.LabelEncoder` assigns them in sorted label
# order, which is the order of ``ClassWeightTransformer.classes_`` too, so
# the two always agree.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.preprocessing import LabelEncoder

from skbalance import ClassWeightTransformer
from skbalance.datasets import load_long_tailed_digits

names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
_, digit = load_long_tailed_digits(imbalance_ratio=50, return_X_y=True)
labels = names[digit]

encoder = LabelEncoder().fit(labels)
y_index = encoder.transform(labels)  # what the network is trained on
print("classes:", encoder.classes_.tolist())

# %%
# Keras: ``class_weight``
# -----------------------
#
# ``normalize="classes"`` makes the weights average to 1 over the classes, the
# usual convention for deep-learning losses (``"mean"``, the default, makes
# them average to 1 over the samples instead).

cwt = ClassWeightTransformer("effective_number", beta=0.99, normalize="classes").fit(labels)
assert list(cwt.classes_) == list(encoder.classes_)

class_weight = cwt.to_keras()
print({index: round(weight, 3) for index, weight in class_weight.items()})

# %%
# and then, in Keras::
#
#     model.fit(X, y_index, class_weight=class_weight, epochs=...)

# %%
# PyTorch: the ``weight`` of a loss
# ---------------------------------
#
# ``to_array()`` gives the weights aligned with ``classes_``, i.e. with the
# network's output units.

weight = cwt.to_array()
print(weight.round(3), weight.dtype)

# %%
# and then, in PyTorch::
#
#     loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weight, dtype=torch.float32))
#
# For a weighted *sampler* instead of a weighted loss, the per-sample weights
# are ``transform`` of the labels::
#
#     torch.utils.data.WeightedRandomSampler(cwt.transform(labels), num_samples=len(labels))

per_sample = cwt.transform(labels)
print(per_sample[:5].round(3), per_sample.shape)

# %%
# Sequence labels (Keras temporal ``sample_weight``)
# --------------------------------------------------
#
# For sequence tagging the labels form a 2-D array (one label per time step).
# The transformer counts every element, and ``transform`` returns weights of
# the same shape, ready for ``model.fit(..., sample_weight=weights)``.

rng = np.random.RandomState(0)
tags = rng.choice(["O", "PER", "LOC"], size=(4, 6), p=[0.85, 0.1, 0.05])
tag_weights = ClassWeightTransformer("inverse_sqrt").fit(tags)
print(tag_weights.class_weight_)
print(tag_weights.transform(tags).round(2))

# %%
# The weights, per class index
# ----------------------------

fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
index = np.arange(len(cwt.classes_))
counts = cwt.class_counts_
ax.bar(index, weight, color="#1f77b4")
ax.set_xticks(index, [f"{i}\n{name}\n(n={int(n)})" for i, name, n in zip(index, cwt.classes_, counts)])
ax.set_ylabel("class weight")
ax.set_title('to_keras() / to_array(): "effective_number", beta=0.99, normalize="classes"')
ax.axhline(1.0, color="0.3", linestyle=":", linewidth=1)
plt.show()
