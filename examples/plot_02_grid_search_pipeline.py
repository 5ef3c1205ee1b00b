"""
=============================================
Tuning the weighting scheme with GridSearchCV
=============================================

:class:`~skbalance.BalancedClassifier` is an ordinary scikit-learn estimator,
so it goes into a :class:`~sklearn.pipeline.Pipeline` after the preprocessing
and its ``weighting`` is a hyper-parameter like any other. Because the class
weights are computed inside ``fit``, every fold of the search gets the
weights of its own training rows.
"""

# %%
# Data and pipeline
# -----------------
#
# Long-tailed digits with an imbalance ratio of 20 (174 samples of digit 0,
# 8 of digit 9), split into a training and a held-out test set.

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skbalance import BalancedClassifier
from skbalance.datasets import load_long_tailed_digits

X, y = load_long_tailed_digits(imbalance_ratio=20, return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

pipeline = Pipeline(
    [
        ("scale", StandardScaler()),
        ("clf", BalancedClassifier(LogisticRegression(max_iter=1000), random_state=0)),
    ]
)

# %%
# The grid
# --------
#
# Five weightings (``None`` is no correction) times three regularisation
# strengths of the inner logistic regression, reached through the usual
# double-underscore names.

param_grid = {
    "clf__weighting": [None, "balanced", "inverse_sqrt", "effective_number", "log_inverse"],
    "clf__estimator__C": [0.01, 0.1, 1.0],
}
search = GridSearchCV(
    pipeline,
    param_grid,
    scoring="f1_macro",
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
)
search.fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"best cross-validated macro-F1: {search.best_score_:.3f}")

# %%
# Cross-validated scores of the whole grid
# ----------------------------------------

results = pd.DataFrame(search.cv_results_)
results["weighting"] = [str(params["clf__weighting"]) for params in results["params"]]
results["C"] = [params["clf__estimator__C"] for params in results["params"]]

fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
weightings = [str(w) for w in param_grid["clf__weighting"]]
x = np.arange(len(weightings))
for i, C in enumerate(param_grid["clf__estimator__C"]):
    rows = results[results["C"] == C].set_index("weighting").loc[weightings]
    ax.bar(
        x + (i - 1) * 0.27,
        rows["mean_test_score"],
        width=0.27,
        yerr=rows["std_test_score"],
        capsize=3,
        label=f"C={C}",
    )
ax.set_xticks(x, weightings)
ax.set_ylim(0.5, 1.0)
ax.set_xlabel("weighting")
ax.set_ylabel("macro-F1 (3-fold CV)")
ax.set_title("GridSearchCV over the weighting scheme and C")
ax.legend(title="LogisticRegression", loc="upper left", bbox_to_anchor=(1.0, 1.0))
plt.show()

# %%
# The refitted best pipeline on the held-out test set
# ---------------------------------------------------
#
# ``best_estimator_`` was refitted on the whole training set, so its class
# weights are those of the training labels.

y_pred = search.predict(X_test)
print(f"test macro-F1:           {f1_score(y_test, y_pred, average='macro'):.3f}")
print(f"test balanced accuracy:  {balanced_accuracy_score(y_test, y_pred):.3f}")
best = search.best_estimator_.named_steps["clf"]
print("class weights of the refitted model:")
print({label: round(weight, 2) for label, weight in best.class_weight_.items()})
