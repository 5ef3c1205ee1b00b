"""
========================================
Focal loss versus weighted cross-entropy
========================================

The focal loss of Lin et al. (2017) multiplies the cross-entropy of a sample
by ``(1 - p)^gamma``, where ``p`` is the predicted probability of its true
class: samples the model already gets right count less, and training effort
goes to the hard ones -- often those of the rare classes.
:class:`~skbalance.FocalLossClassifier` is a linear model trained on
that loss; ``gamma=0`` is an ordinary logistic regression. Its ``alpha``
accepts the same class-weighting schemes as ``BalancedClassifier``.

This example compares it with
``LogisticRegression(class_weight="balanced")``, the weighted cross-entropy.
"""

# %%
# The loss
# --------
#
# For a sample whose true class gets probability ``p`` the focal loss is
# ``-(1 - p)^gamma * log(p)``. The larger ``gamma``, the faster the loss of
# well-classified samples (``p`` near 1) vanishes.

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbalance import FocalLossClassifier
from skbalance.datasets import load_long_tailed_digits

gammas = [0, 1, 2, 5]
p = np.linspace(0.01, 1, 200)

# %%
# Cross-validated comparison
# --------------------------
#
# Long-tailed digits (imbalance ratio 50), standardised features, the same
# 3 folds for every model. Each ``gamma`` is tried without class weights
# (``alpha=None``) and with ``alpha="balanced"``.

X, y = load_long_tailed_digits(imbalance_ratio=50, return_X_y=True)
cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)


def macro_f1(classifier):
    model = make_pipeline(StandardScaler(), classifier)
    return cross_validate(model, X, y, cv=cv, scoring="f1_macro")["test_score"]


rows = []
for gamma in gammas:
    for alpha in [None, "balanced"]:
        scores = macro_f1(FocalLossClassifier(gamma=gamma, alpha=alpha))
        rows.append({"gamma": gamma, "alpha": str(alpha), "mean": scores.mean(), "std": scores.std()})
focal = pd.DataFrame(rows)
baselines = {
    "LogisticRegression()": macro_f1(LogisticRegression(max_iter=1000)).mean(),
    'LogisticRegression(class_weight="balanced")': macro_f1(
        LogisticRegression(max_iter=1000, class_weight="balanced")
    ).mean(),
}
print(focal.round(3).to_string(index=False))
for name, score in baselines.items():
    print(f"{name}: macro-F1 {score:.3f}")

# %%
# ``gamma=0`` reproduces the logistic regressions (unweighted and
# ``alpha="balanced"``). On this data set a positive ``gamma`` alone already
# does about as well as class weights, and the two combined are close to
# class weights alone: focusing on hard samples and re-weighting rare classes
# are two routes to the same correction here.

fig, (ax_loss, ax_score) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
for gamma in gammas:
    ax_loss.plot(p, -((1 - p) ** gamma) * np.log(p), label=f"gamma={gamma}")
ax_loss.set_ylim(0, 4)
ax_loss.set_xlabel("probability of the true class, p")
ax_loss.set_ylabel("loss of the sample")
ax_loss.set_title("Focal loss -(1 - p)^gamma log p")
ax_loss.legend()

for alpha, marker, shift in [("None", "o", -0.06), ("balanced", "s", 0.06)]:
    rows = focal[focal["alpha"] == alpha]
    ax_score.errorbar(
        rows["gamma"] + shift, rows["mean"], yerr=rows["std"], marker=marker, capsize=3,
        label=f"FocalLossClassifier(alpha={alpha if alpha == 'None' else repr(alpha)})",
    )
for (name, score), style in zip(baselines.items(), [":", "--"]):
    ax_score.axhline(score, color="0.3", linestyle=style, label=name)
ax_score.set_xlabel("gamma")
ax_score.set_xticks(gammas)
ax_score.set_ylabel("macro-F1 (3-fold CV)")
ax_score.set_title("Long-tailed digits (imbalance ratio 50)")
ax_score.legend(fontsize="small", loc="lower right")
plt.show()

# %%
# Boosted trees
# -------------
#
# The same loss is available for gradient boosting:
# :func:`skbalance.focal.lightgbm_objective` and
# :func:`skbalance.focal.xgboost_objective` return custom objectives
# (gradient and Hessian of the focal loss) for ``LGBMClassifier(objective=...)``
# and ``XGBClassifier(objective=...)``; both libraries are optional extras
# (``pip install "skbalance[boost]"``). The objective is a plain function of
# the labels and raw scores:

from skbalance.focal import lightgbm_objective

objective = lightgbm_objective(gamma=2.0)
grad, hess = objective(np.array([0, 1, 2]), np.zeros((3, 3)))
print("gradient:\n", grad.round(3))
print("Hessian:\n", hess.round(3))
