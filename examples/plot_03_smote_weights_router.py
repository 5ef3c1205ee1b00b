"""
============================================
SMOTE, class weights or a rare-class router?
============================================

Three ways to deal with a long tail, cross-validated on the same folds:

- **class weights** -- :class:`~skbalance.BalancedClassifier` with a weighting
  scheme, computed inside every ``fit``;
- **SMOTE** -- synthetic over-sampling of the small classes, through
  ``BalancedClassifier(sampler=SMOTE())``, which adapts SMOTE's neighbour
  count to classes too small for it;
- **a router** -- :class:`~skbalance.SmallClassRouter`, which groups
  the rare classes for the main model and separates them with a second one.
"""

# %%
# Data
# ----
#
# Long-tailed digits with an imbalance ratio of 50: the smallest class has 3
# samples, so a training fold of a 3-fold cross-validation holds only 2 of
# them -- fewer than SMOTE's default ``k_neighbors=5`` needs.

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbalance import BalancedClassifier, SmallClassRouter
from skbalance.datasets import load_long_tailed_digits

digits = load_long_tailed_digits(imbalance_ratio=50, random_state=0)
X, y = digits.data, digits.target
print("samples per digit:", digits.class_counts.tolist())

# %%
# The strategies
# --------------
#
# Every strategy uses the same logistic regression on standardised features.
# With a sampler the class weights are switched off (``weighting=None``),
# otherwise the two corrections would add up.


def logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


strategies = {
    "no correction": logistic(),
    'weights "balanced"': BalancedClassifier(logistic(), weighting="balanced"),
    'weights "inverse_sqrt"': BalancedClassifier(logistic(), weighting="inverse_sqrt"),
    "SMOTE": BalancedClassifier(logistic(), weighting=None, sampler=SMOTE(), random_state=0),
    "router (soft)": SmallClassRouter(
        BalancedClassifier(logistic()), BalancedClassifier(logistic()), routing="soft"
    ),
}

# %%
# Cross-validation on the same folds
# ----------------------------------

cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
rows = []
for name, model in strategies.items():
    scores = cross_validate(model, X, y, cv=cv, scoring=["f1_macro", "balanced_accuracy"])
    rows.append(
        {
            "strategy": name,
            "macro-F1": scores["test_f1_macro"].mean(),
            "macro-F1 std": scores["test_f1_macro"].std(),
            "balanced accuracy": scores["test_balanced_accuracy"].mean(),
            "balanced accuracy std": scores["test_balanced_accuracy"].std(),
        }
    )
results = pd.DataFrame(rows).sort_values("macro-F1", ascending=False)
print(results.round(3).to_string(index=False))

# %%
# SMOTE ran on every fold although a training fold holds only 2 samples of
# digit 9: ``BalancedClassifier`` lowers ``k_neighbors`` to the size of the
# smallest class minus one. Fitted on all the rows (3 samples of digit 9), the
# sampler it used is:

fitted = BalancedClassifier(logistic(), weighting=None, sampler=SMOTE(), random_state=0)
fitted.fit(X, y)
print(fitted.sampler_)

# %%
# Scores
# ------

fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
position = np.arange(len(results))
for offset, metric, color in [(-0.2, "macro-F1", "#1f77b4"), (0.2, "balanced accuracy", "#ff7f0e")]:
    ax.barh(
        position + offset,
        results[metric],
        height=0.4,
        xerr=results[f"{metric} std"],
        capsize=3,
        color=color,
        label=metric,
    )
ax.set_yticks(position, results["strategy"])
ax.invert_yaxis()
ax.set_xlim(0.5, 1.0)
ax.set_xlabel("score (mean of 3 folds, error bar: standard deviation)")
ax.set_title("Long-tailed digits (imbalance ratio 50)")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
plt.show()

# %%
# On this data the strategies are close; which one wins depends on the data
# set and the model, which is why :func:`skbalance.compare.compare` runs them
# all on your own data.
