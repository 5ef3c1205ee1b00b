"""
=========================================
Comparing strategies on your own CSV file
=========================================

:func:`skbalance.compare.compare` cross-validates every imbalance strategy
-- no correction, each weighting scheme, random over- and under-sampling,
SMOTE, the small-class router and focal loss -- on the same folds and ranks
them by macro-F1. :func:`skbalance.plotting.plot_comparison` draws the result.

Here the "user data" is a CSV file written from scikit-learn's bundled digits
(made long-tailed) to a temporary directory; replace its path with yours.
"""

# %%
# A CSV file, as a user would have it
# -----------------------------------
#
# One row per sample, feature columns and a ``digit`` column with string
# labels.

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from skbalance.compare import compare
from skbalance.datasets import load_long_tailed_digits
from skbalance.plotting import plot_comparison

names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
digits = load_long_tailed_digits(imbalance_ratio=30, random_state=0)
frame = pd.DataFrame(digits.data, columns=digits.feature_names)
frame["digit"] = [names[label] for label in digits.target]

workdir = Path(tempfile.mkdtemp())
csv_path = workdir / "my_data.csv"
frame.to_csv(csv_path, index=False)
print(f"wrote {csv_path.name}: {frame.shape[0]} rows, {frame.shape[1]} columns")

# %%
# Reading it back and comparing
# -----------------------------
#
# ``compare`` takes the features and the labels. Without ``estimator`` the
# strategies are built on a standardised ``LogisticRegression``; pass your own
# classifier (or pipeline) to compare the strategies around it.

data = pd.read_csv(csv_path)
X = data.drop(columns="digit")
y = data["digit"]
print(y.value_counts().to_string())

results = compare(X, y, cv=3, random_state=0)

columns = ["strategy", "f1_macro_mean", "f1_macro_std", "balanced_accuracy_mean", "gmean_mean"]
print(results[columns].round(3).to_string(index=False))
print("best strategy:", results.attrs["best_strategy"])

# %%
# Besides the mean and standard deviation of each metric, ``results`` has the
# recall of every class (``recall_<label>``) and an ``error`` column: a
# strategy that fails on a fold is reported there instead of stopping the
# comparison. The per-fold scores are in ``results.attrs["fold_scores"]``.

recall = results.set_index("strategy").filter(like="recall_")
print(recall.loc[:, [f"recall_{name}" for name in names[-3:]]].round(2).to_string())

# %%
# The figure
# ----------
#
# Left: every strategy's scores with their spread across folds, the best one
# highlighted. Right: the recall of each class, largest class first, for the
# best strategies and the plain baseline. G-mean, the geometric mean of the
# per-class recalls, is 0 on any fold where one class is never recognised,
# hence its large spread on data with classes of a few samples.

fig = plot_comparison(results, top=3)
plt.show()

# %%
# The same from the command line
# ------------------------------
#
# The ``skbalance`` command (``pip install "skbalance[cli]"``) runs the same
# comparison on a CSV or Parquet file, prints the ranked table and can save
# the figure and the full results::
#
#     skbalance compare my_data.csv --target digit --cv 3 --plot comparison.png --output results.csv
#
# Without a file it runs on the embedded long-tailed digits.
