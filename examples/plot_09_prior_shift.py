"""
=====================================================
Deployment priors that shift: estimate, then correct
=====================================================

A model is trained on a balanced sample, then deployed where some classes
are much rarer. Its probabilities still assume the training frequencies, so
its decisions favour the classes that are now rare. If only the class
frequencies changed (prior shift), the deployment priors can be estimated
from the **unlabelled** deployment rows with
:func:`~skbalance.priors.estimate_prior`, and the probabilities corrected
with :func:`~skbalance.priors.correct_prior_shift`:

.. code-block:: text

    p'(c | x)  ∝  p(c | x) · π'_c / π_c

Two estimators are compared: EM (Saerens et al., 2002), which uses the
probabilities, and BBSE (Lipton et al., 2018), which uses the confusion
matrix of ``predict`` on labelled validation rows.
"""

# %%
# Training and deployment data
# ----------------------------
#
# scikit-learn's bundled digits, split in two. The training half is used as
# it is (about 90 rows per digit); the deployment half is sub-sampled by
# :func:`~skbalance.datasets.make_long_tailed` so that digit 0 is 10 times as
# frequent as digit 9, and its labels are kept only to score the result.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbalance.datasets import make_long_tailed
from skbalance.priors import correct_prior_shift, estimate_prior

X, y = load_digits(return_X_y=True)
X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.5, stratify=y,
                                                    random_state=0)  # fmt: skip
X_val, X_pool, y_val, y_pool = train_test_split(X_rest, y_rest, test_size=0.6, stratify=y_rest,
                                                random_state=0)  # fmt: skip
X_new, y_new = make_long_tailed(X_pool, y_pool, imbalance_ratio=10, random_state=0)
truth = np.bincount(y_new, minlength=10) / len(y_new)
train_prior = np.bincount(y_train, minlength=10) / len(y_train)
print(f"{len(y_train)} training rows, {len(y_val)} validation rows, "
      f"{len(y_new)} deployment rows: {np.bincount(y_new).tolist()}")  # fmt: skip

# %%
# Estimate the deployment prior
# -----------------------------
#
# The model is a logistic regression on five principal components: a weak
# model, whose decisions depend on the priors (on all 64 pixels the digits
# are too easy for that). EM needs the prior the model was trained under
# (and here more than its default 100 iterations: it converges slowly when a
# class becomes rare); BBSE needs labelled rows of the training distribution
# the model was not fitted on.

model = make_pipeline(StandardScaler(), PCA(5, random_state=0), LogisticRegression(max_iter=2000))
model.fit(X_train, y_train)
estimates = {
    "EM": estimate_prior(model, X_new, training_prior=train_prior, max_iter=1000),
    "BBSE": estimate_prior(model, X_new, method="bbse", X_val=X_val, y_val=y_val),
}
for name, prior in estimates.items():
    print(f"{name:>4}: L1 error to the true deployment prior {np.abs(prior - truth).sum():.3f}")
print(f"no estimate (training prior): L1 error {np.abs(train_prior - truth).sum():.3f}")

fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
width = 0.2
for i, (name, prior) in enumerate({"truth": truth, **estimates, "training": train_prior}.items()):
    ax.bar(np.arange(10) + (i - 1.5) * width, prior, width, label=name)
ax.set_xticks(np.arange(10))
ax.set_xlabel("digit")
ax.set_ylabel("class prior")
ax.set_title("Deployment prior: truth and estimates from unlabelled rows")
ax.legend()
plt.show()

# %%
# Correct the probabilities
# -------------------------
#
# With the estimated prior, the corrected probabilities favour the digits
# that are frequent where the model is deployed, and accuracy on the
# deployment rows rises. The true prior is shown for reference; on so few
# rows an estimate can do as well or better.

proba = model.predict_proba(X_new)
print(f"as trained:            accuracy {np.mean(model.predict(X_new) == y_new):.3f}")
for name, prior in {**estimates, "true prior": truth}.items():
    corrected = correct_prior_shift(proba, train_prior, prior)
    print(f"corrected ({name:>10}): accuracy "
          f"{np.mean(model.classes_[corrected.argmax(axis=1)] == y_new):.3f}")  # fmt: skip

# %%
# The same with a :class:`~skbalance.BalancedClassifier`: it knows the prior
# its inner model learned under (``effective_prior_``), so ``estimate_prior``
# needs no ``training_prior``, and the estimate is its ``prior=`` for the
# deployment.

from skbalance import BalancedClassifier

balanced = BalancedClassifier(model).fit(X_train, y_train)
deployment_prior = estimate_prior(balanced, X_new, max_iter=1000)
deployed = BalancedClassifier(model, prior=deployment_prior).fit(X_train, y_train)
print(f"BalancedClassifier(prior=estimate): accuracy "
      f"{np.mean(deployed.predict(X_new) == y_new):.3f}")  # fmt: skip
