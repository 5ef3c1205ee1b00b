"""
=============================================
Prior correction and calibrated probabilities
=============================================

Class weights make a classifier act as if every class were equally frequent:
good for recall on the rare class, but its probabilities are then those of a
balanced world and over-estimate the rare class. ``BalancedClassifier(prior=
"train")`` corrects them back to the class frequencies of the training data
with the prior-shift rule

.. code-block:: text

    p'(c | x)  ∝  p(c | x) · π'_c / π_c

where ``π`` is the class prior the weighted model effectively learned and
``π'`` the target prior (here the training frequencies). This example draws
reliability diagrams with :class:`~sklearn.calibration.CalibrationDisplay`.
"""

# %%
# A binary long-tailed problem
# ----------------------------
#
# scikit-learn's bundled digits, "5 to 9" against "0 to 4", with the positive
# class sub-sampled by :func:`~skbalance.datasets.make_long_tailed` to one
# tenth of the negative one.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import CalibrationDisplay
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, brier_score_loss, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbalance import BalancedClassifier
from skbalance.datasets import make_long_tailed

digits = load_digits()
X, y = make_long_tailed(
    digits.data, (digits.target >= 5).astype(int), imbalance_ratio=10, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
print("class sizes:", np.bincount(y).tolist(), f"-- positive rate {y.mean():.3f}")

# %%
# Three models
# ------------
#
# The same regularised logistic regression, unweighted, with ``"balanced"``
# weights, and with ``"balanced"`` weights plus ``prior="train"``.


def logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000))


models = {
    "unweighted": logistic().fit(X_train, y_train),
    'weighted, prior=None': BalancedClassifier(logistic(), prior=None).fit(X_train, y_train),
    'weighted, prior="train"': BalancedClassifier(logistic(), prior="train").fit(
        X_train, y_train
    ),
}

for name, model in models.items():
    proba = model.predict_proba(X_test)[:, 1]
    print(
        f"{name:>24}: mean predicted probability {proba.mean():.3f}, "
        f"Brier {brier_score_loss(y_test, proba):.4f}, log-loss {log_loss(y_test, proba):.3f}, "
        f"balanced accuracy {balanced_accuracy_score(y_test, model.predict(X_test)):.3f}"
    )

# %%
# The weighted model without correction predicts the positive class far more
# often than its true rate; the corrected one is back on the diagonal of the
# reliability diagram, like the unweighted model.

fig, (ax_curve, ax_hist) = plt.subplots(
    1, 2, figsize=(11, 4.5), width_ratios=[1.1, 1], layout="constrained"
)
for (name, model), marker in zip(models.items(), ["o", "s", "D"]):
    CalibrationDisplay.from_estimator(
        model, X_test, y_test, n_bins=6, strategy="quantile", name=name, ax=ax_curve,
        marker=marker,
    )
    ax_hist.hist(
        model.predict_proba(X_test)[:, 1], bins=20, range=(0, 1), histtype="step",
        linewidth=2, label=name,
    )
ax_curve.set_title("Reliability diagram (test set)")
ax_curve.legend(loc="upper left", fontsize="small")
ax_hist.set_yscale("log")
ax_hist.set_xlabel("predicted probability of the positive class")
ax_hist.set_ylabel("test samples (log scale)")
ax_hist.set_title("Distribution of predicted probabilities")
ax_hist.legend(fontsize="small")
plt.show()

# %%
# Probabilities or decisions?
# ---------------------------
#
# ``predict`` is always the argmax of ``predict_proba``. With ``prior="train"``
# the probabilities are calibrated, so the argmax is again biased towards the
# frequent class (see the balanced accuracy above). Use ``prior="train"`` when
# the probabilities themselves matter (risk scores, expected costs), and then
# pick the decision threshold for your costs, e.g. with
# :class:`~sklearn.model_selection.TunedThresholdClassifierCV`; keep
# ``prior=None`` when the balanced decisions are what you want.
# ``prior="uniform"`` or an array of deployment frequencies (aligned with
# ``classes_``) adapt the probabilities to another deployment prior.

deployed = BalancedClassifier(logistic(), prior=[0.8, 0.2]).fit(X_train, y_train)
print("target prior:", deployed.target_prior_, "effective training prior:",
      deployed.effective_prior_.round(3))
print(f"mean probability of the positive class: {deployed.predict_proba(X_test)[:, 1].mean():.3f}")
