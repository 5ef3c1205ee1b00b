"""BalancedClassifierCV: pick the imbalance strategy by internal cross-validation."""

import math
from numbers import Integral

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    clone,
    is_classifier,
)
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import MetadataRouter
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import assert_all_finite, check_is_fitted

from ._base import _MetaClassifierMixin
from ._evaluation import METRICS, _evaluate, _fold_columns, _make_folds, _summarise
from ._oob import _oob_key
from ._pipeline import _fit_with_sample_weight
from ._portfolio import (
    _choose,
    _ensemble_members,
    _family_strategies,
    _oob_fit_and_score,
    _partition,
    _pooled_proba,
    _reference_name,
)
from ._sklearn_compat import HasMethods, StrOptions, _fit_context
from ._strategies import (
    _adapt_to_sample_weight,
    _check_strategies,
    _distinct_strategies,
)
from ._tuning import _cross_fitted_scores, _decide, _tune_decision
from ._validation import _align_columns, _as_seed, _check_fit_input, _check_X

__all__ = ["BalancedClassifierCV"]

#: Survivors of a halving round are the best ``1 / _FACTOR`` of the candidates.
_FACTOR = 3


def _refitted(self):
    """``available_if`` check: prediction methods need ``refit=True``."""
    return self.refit


def _best_has(attr):
    """``available_if`` check: every refitted estimator has ``attr``."""

    def check(self):
        if not _refitted(self):
            return False
        return all(hasattr(model, attr) for model in getattr(self, "estimators_", ()))

    return check


class BalancedClassifierCV(_MetaClassifierMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classifier that finds its imbalance strategy by internal cross-validation.

    No single strategy (plain, class weights, over- or under-sampling, SMOTE,
    the small-class router, focal loss) wins on every data set. Inside
    ``fit``, this estimator cross-validates the candidate strategies on the
    training rows only, averages the probabilities of those at least as
    good as the reference (or keeps the best one alone), tunes the decision
    on the same out-of-fold probabilities, refits the members on all the
    rows and predicts with them.

    Parameters
    ----------
    estimator : classifier or list of classifiers, default=None
        Base classifier the default candidates are built on (see
        :func:`~skbalance.compare.default_strategies`). A list gives several
        model families: the candidates are every family's default
        strategies, named ``"<family>/<strategy>"`` (the family is the final
        classifier's class name), and the reference is the first family's
        ``plain``. None means two families, a standardised
        ``LogisticRegression`` and a ``RandomForestClassifier(n_estimators=100)``:
        averaging the two beat every single strategy on the project's
        benchmark (see the user guide); pass one classifier for one family.
    strategies : {"auto", "all"} or dict of str -> classifier, default="auto"
        The candidates. ``"auto"``: ``plain`` and the ``weight:<scheme>``
        strategies of :func:`~skbalance.compare.default_strategies` (one fit
        each per fold, out of bag for forests: the cheap candidates, and on
        the project's benchmark the strongest family); ``"all"``: every
        default strategy of ``compare`` (samplers, router and focal loss
        too) but the ``tuned:`` one, whose job the selector does itself; or
        a dict name -> unfitted classifier. Strategies that are the same
        model on the training labels are searched once.
    cv : int, cross-validation generator or iterable, default=5
        Internal splits; an int means stratified, shuffled folds.
    scoring : {"f1_macro", "balanced_accuracy", "gmean"}, default="f1_macro"
        Metric the best strategy maximises.
    refit : bool, default=True
        Refit the members of ``ensemble_`` and ``best_strategy_`` on all the
        rows; without it only the names and ``cv_results_`` are learned and
        the estimator cannot predict.
    search : {"full", "halving"}, default="full"
        ``"full"`` evaluates every candidate on every fold. ``"halving"``
        runs successive halving over folds: every candidate is first scored
        on one fold, the best third go on to three times as many folds
        (their earlier folds are kept, not refitted), until the last few
        compete on all the folds. The reference is always kept. Only the
        candidates scored on every fold can join the average, so halving
        saves fits at the cost of a smaller ensemble.
    ensemble : bool, default=True
        Average the probabilities of every candidate whose decision scores
        at least as well as the reference's on the pooled out-of-fold
        probabilities (``pooled_score`` of ``cv_results_``), instead of
        predicting with ``best_strategy_`` alone; ``ensemble_`` lists them.
        Without a candidate that good the reference is used alone.
    tune_decision : bool, default=True
        Tune the prior exponent τ of the decision (see
        :class:`~skbalance.decision.TunedDecisionClassifierCV`) on the pooled
        out-of-fold probabilities of the final model, which the internal CV
        already computed (no extra fit), and keep it only when it pays off
        out of sample: τ tuned on the other internal folds' rows, applied to
        each fold's, must beat the untuned decision on the pooled rows.
    oob : bool, default=True
        Score the candidates around a bootstrap forest (or bagging) on their
        out-of-bag predictions instead of cross-validating them: one fit on
        all rows each, which is also the refitted model. Their out-of-bag
        predictions are split along the internal folds, so that they are
        paired with the cross-validated candidates fold by fold.
    n_jobs : int, default=None
        Number of parallel (candidate, fold) fits (joblib).
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the sub-samples and every candidate's
        ``random_state``.

    Attributes
    ----------
    best_strategy_ : str
        Name of the best single strategy: the best of the candidates
        reliably better than the reference (P(better) >= 0.9, the rule of
        :func:`~skbalance.compare.recommend`), else the reference. It
        predicts alone with ``ensemble=False``.
    reference_ : str
        The candidate the others had to beat: ``"plain"`` (or the first
        family's), else the first candidate.
    ensemble_ : list of str
        The candidates whose probabilities are averaged, best first
        (``best_strategy_`` leading when it is one of them); just
        ``[best_strategy_]`` with ``ensemble=False``.
    best_estimator_ : classifier
        ``best_strategy_`` refitted on all rows (with ``refit=True``); the
        prediction methods use it only when the members have no
        ``predict_proba``.
    estimators_ : list of classifiers
        The members of ``ensemble_`` refitted on all rows (with ``refit=True``).
    tau_ : float
        The tuned prior exponent (0 when not tuned, or when tuning did not
        pay off out of sample).
    class_offset_ : ndarray of shape (n_classes,)
        Log-offsets added to the log-probabilities by ``predict``
        (``-tau_ * log(prior)``; zeros when not tuned).
    cv_results_ : pandas.DataFrame
        The ranked ``compare`` table of every candidate, at the last round it
        reached, with its ``round``, the ``n_folds`` it was scored on and,
        for the candidates scored on every fold, the paired statistics
        against the reference (``diff_mean``, ``diff_low``, ``diff_high``,
        ``p_better``, ``p_equivalent``, ``p_worse``), and the
        ``pooled_score`` the ensemble is built from (NaN without pooled
        out-of-fold probabilities). Failed candidates have an ``error``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    skbalance.compare.compare : The comparison this estimator runs internally.
    BalancedClassifier : One fixed strategy.

    Notes
    -----
    Choosing one strategy is only as reliable as the internal scores, which
    are noisy when a class has a handful of rows: on the project's
    benchmark the per-data-set choice was noisier than the differences
    between strategies. So the default does not bet on one choice. It
    averages every candidate that is at least as good as the reference on
    the pooled out-of-fold probabilities (the reference itself is in the
    average only when nothing else is), and tunes one continuous parameter
    of the decision, kept only when it pays off on held-out rows. Both
    read the out-of-fold probabilities the internal CV computed once; the
    refit fits each member once. ``best_strategy_`` still follows the
    evidence rule of :func:`~skbalance.compare.recommend`.

    Around a bootstrap forest (or bagging) each candidate is fitted once on
    all rows and scored out of bag: the default's forest family costs one
    fit per candidate, which is also the refitted model.

    With ``search="halving"``, ``C`` candidates and ``k`` folds, halving runs
    ``R = ceil(log3 C)`` rounds; after round ``r`` the remaining candidates
    have been scored on the first ``ceil(k * 3 ** (r - R + 1))`` folds, and
    the best third of them (by their mean over those folds) go on, with the
    reference. Every fit uses a whole training fold, so rare classes keep
    all their rows; the saving comes from fitting weak candidates on fewer
    folds.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skbalance import BalancedClassifier, BalancedClassifierCV
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> X, y = load_long_tailed_digits(imbalance_ratio=10, return_X_y=True)
    >>> candidates = {
    ...     "plain": LogisticRegression(max_iter=2000),
    ...     "balanced": BalancedClassifier(LogisticRegression(max_iter=2000)),
    ... }
    >>> clf = BalancedClassifierCV(strategies=candidates, cv=3, random_state=0)
    >>> set(clf.fit(X, y).ensemble_) <= set(candidates)
    True
    >>> bool(clf.cv_results_["pooled_score"].notna().all())
    True
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), list, tuple, None],
        "strategies": [StrOptions({"auto", "all"}), dict],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(METRICS))],
        "refit": ["boolean"],
        "search": [StrOptions({"full", "halving"})],
        "ensemble": ["boolean"],
        "tune_decision": ["boolean"],
        "oob": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        strategies="auto",
        cv=5,
        scoring="f1_macro",
        refit=True,
        search="full",
        ensemble=True,
        tune_decision=True,
        oob=True,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.strategies = strategies
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.search = search
        self.ensemble = ensemble
        self.tune_decision = tune_decision
        self.oob = oob
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Evaluate the candidates, choose, combine, tune the decision and refit.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights, passed to every candidate's ``fit``;
            a default candidate whose classifier takes no ``sample_weight``
            (k-NN, say) gets them by resampling, as in
            :func:`~skbalance.compare.compare`.

        Returns
        -------
        self : BalancedClassifierCV
            The fitted estimator.
        """
        X, y, self.classes_, codes, sample_weight = _check_fit_input(self, X, y, sample_weight)
        self._check_finite(X)
        seed = _as_seed(self.random_state)
        candidates = self._candidates(seed, X, y, sample_weight)
        self.reference_ = _reference_name(candidates)
        folds = _make_folds(X, y, self.cv, seed)
        prefit, oob_scores, oob_pooled = self._out_of_bag(candidates, X, y, folds, sample_weight)
        searched = {name: c for name, c in candidates.items() if name not in prefit}
        results, fold_scores, proba = self._search(searched, X, y, folds, sample_weight)
        results = _merge_results(results, oob_scores, self.classes_, len(folds))
        fold_scores = pd.concat([fold_scores, oob_scores], ignore_index=True)
        if results["error"].notna().all():
            self.cv_results_ = results
            self._raise_all_failed(candidates, X, y)
        complete = self._complete(fold_scores, len(folds))
        self.best_strategy_, statistics = _choose(
            complete, folds, self.reference_, self.scoring
        )
        pooled = self._pooled(proba, complete, folds, oob_pooled, len(y))
        counts = np.bincount(codes, weights=sample_weight, minlength=len(self.classes_))
        prior = counts / counts.sum()
        scores = {name: self._pooled_score(p, codes, prior, folds) for name, p in pooled.items()}
        self.cv_results_ = _with_statistics(results, statistics, scores)
        self.ensemble_ = (
            _ensemble_members(scores, self.reference_, self.best_strategy_)
            if self.ensemble
            else [self.best_strategy_]
        )
        self._tune(pooled, codes, prior, folds)
        self.best_estimator_, self.estimators_ = None, []
        if self.refit:
            fitted = dict(prefit)
            for name in dict.fromkeys([*self.ensemble_, self.best_strategy_]):
                if name not in fitted:
                    model = clone(candidates[name])
                    fitted[name] = _fit_with_sample_weight(model, X, y, sample_weight)
            self.estimators_ = [fitted[name] for name in self.ensemble_]
            self.best_estimator_ = fitted[self.best_strategy_]
        return self

    def _out_of_bag(self, candidates, X, y, folds, sample_weight):
        """Fit the forest candidates once each with out-of-bag scoring (``oob=True``).

        Returns the fitted models, their per-fold scores (the out-of-bag
        predictions split along ``folds``) and their pooled out-of-bag
        probabilities, by candidate name.
        """
        keys = {name: _oob_key(c) for name, c in candidates.items()} if self.oob else {}
        outcomes = Parallel(n_jobs=self.n_jobs)(
            delayed(_oob_fit_and_score)(
                name, candidates[name], key, X, y, folds, self.classes_, self.scoring,
                sample_weight,
            )
            for name, key in keys.items()
            if key is not None
        )
        prefit, records, pooled = {}, [], {}
        for model, model_records, model_pooled in outcomes:
            if model is not None:
                name = model_records[0]["strategy"]
                prefit[name], pooled[name] = model, model_pooled
                records.extend(model_records)
        columns = _fold_columns([self.scoring], self.classes_)
        return prefit, pd.DataFrame.from_records(records, columns=columns), pooled

    def _search(self, candidates, X, y, folds, sample_weight):
        """Run the internal CV; the results, per-fold scores and test probabilities."""
        if not candidates:
            columns = _fold_columns([self.scoring], self.classes_)
            return None, pd.DataFrame(columns=columns), {}
        if self.search == "full":
            fold_scores, proba = self._run(candidates, X, y, folds, sample_weight)
            results = _summarise(fold_scores, self.classes_)
            results["round"], results["n_folds"] = 0, len(folds)
            return results, fold_scores, proba
        return self._halving(candidates, X, y, folds, sample_weight)

    def _run(self, candidates, X, y, folds, sample_weight):
        """Cross-validate ``candidates`` on ``folds``, keeping the test probabilities."""
        return _evaluate(
            candidates,
            X,
            y,
            folds,
            [self.scoring],
            self.n_jobs,
            sample_weight=sample_weight,
            keep_proba=True,
        )

    def _complete(self, fold_scores, n_folds):
        """Per-fold scores of the candidates scored on every fold without error."""
        grouped = fold_scores.groupby("strategy", sort=False)
        full = grouped["fold"].transform("nunique") == n_folds
        clean = grouped["error"].transform(lambda errors: errors.isna().all())
        complete = fold_scores[full & clean]
        if self.reference_ not in set(complete["strategy"]):
            # the reference failed: the best complete candidate stands in for it
            means = complete.groupby("strategy", sort=False)[self.scoring].mean()
            self.reference_ = means.idxmax()
        return complete

    def _pooled(self, proba, complete, folds, oob_pooled, n_samples):
        """Pooled out-of-fold (or out-of-bag) probabilities of the complete candidates.

        None of them when the test sets of ``folds`` do not hold every row
        exactly once (a ``ShuffleSplit``, say): the cross-fitted decision
        then has no folds to run on.
        """
        if not _partition(folds, n_samples):
            return {}
        pooled = {}
        for name in dict.fromkeys(complete["strategy"]):
            values = _pooled_proba(proba, name, folds, n_samples)
            if values is not None:
                pooled[name] = values
        return {**pooled, **oob_pooled}

    def _pooled_score(self, proba, codes, prior, folds):
        """The score of a decision from pooled out-of-fold probabilities ``proba``.

        That of the argmax or, with ``tune_decision``, of the cross-fitted
        tuned decision when it is higher.
        """
        untuned, tuned = self._cross_fitted(proba, codes, prior, folds)
        return max(untuned, tuned) if self.tune_decision else untuned

    def _tune(self, pooled, codes, prior, folds):
        """Set ``tau_`` and ``class_offset_`` from the pooled out-of-fold probabilities.

        The prior exponent is tuned on the mean probabilities of the members,
        and kept only when the cross-fitted decision beats the untuned one.
        """
        self.tau_, self.class_offset_ = 0.0, np.zeros(len(self.classes_))
        if not self.tune_decision or not all(name in pooled for name in self.ensemble_):
            return
        proba = np.mean([pooled[name] for name in self.ensemble_], axis=0)
        untuned, tuned = self._cross_fitted(proba, codes, prior, folds)
        if tuned > untuned:
            decision = _tune_decision(
                proba, codes, prior, scoring=self.scoring, classes=self.classes_
            )
            self.tau_, self.class_offset_ = float(decision.tau), decision.class_offset

    def _cross_fitted(self, proba, codes, prior, folds):
        """Scores of the untuned and of the cross-fitted tuned decision of ``proba``."""
        return _cross_fitted_scores(
            proba, codes, prior, folds, scoring=self.scoring, classes=self.classes_
        )

    def _check_X(self, X, *, reset):
        """Check ``X``'s shape and features; refuse NaN/inf unless every candidate accepts them."""
        _check_X(self, X, reset=reset)
        self._check_finite(X)

    def _check_finite(self, X):
        """Refuse NaN/inf in an array ``X`` unless every candidate accepts them."""
        if get_tags(self).input_tags.allow_nan or hasattr(X, "iloc") or issparse(X):
            return
        values = np.asarray(X)
        if values.dtype.kind in "fc":
            assert_all_finite(values, estimator_name=type(self).__name__, input_name="X")

    def _raise_all_failed(self, candidates, X, y):
        """Re-raise the first candidate's own error on the whole data, if any."""
        first = clone(next(iter(candidates.values())))
        first.fit(X, y)
        errors = "; ".join(f"{r.strategy}: {r.error}" for r in self.cv_results_.itertuples())
        raise ValueError(f"Every candidate strategy failed: {errors}")

    def _candidates(self, seed, X, y, sample_weight):
        """The candidate strategies, by name; the same model is a candidate once."""
        if not isinstance(self.strategies, str):
            return _check_strategies(self.strategies)
        candidates = _family_strategies(
            self.estimator, seed, sparse=issparse(X), kinds=self.strategies
        )
        if sample_weight is not None:
            candidates = _adapt_to_sample_weight(candidates)[0]
        return _distinct_strategies(candidates, y, sample_weight)[0]

    def _halving(self, candidates, X, y, folds, sample_weight):
        """Successive halving over the candidates, the reference always kept.

        Returns the combined results, the per-fold scores of every task run
        and their test probabilities.
        """
        n_rounds = max(1, math.ceil(math.log(len(candidates), _FACTOR)))
        alive, rounds, scores, proba, done = dict(candidates), [], [], {}, 0
        for round_ in range(n_rounds):
            n_folds = math.ceil(len(folds) * _FACTOR ** (round_ - n_rounds + 1))
            new, new_proba = self._run(alive, X, y, folds[done:n_folds], sample_weight)
            new["fold"] += done
            proba.update({(name, fold + done): p for (name, fold), p in new_proba.items()})
            scores.append(new)
            current = pd.concat(scores, ignore_index=True)
            results = _summarise(current[current["strategy"].isin(alive)], self.classes_)
            results["round"], results["n_folds"] = round_, n_folds
            rounds.append(results)
            done = n_folds
            survivors = results.loc[results["error"].isna(), "strategy"].tolist()
            if survivors:
                keep = survivors[: math.ceil(len(alive) / _FACTOR)]
                if self.reference_ in survivors and self.reference_ not in keep:
                    keep.append(self.reference_)
                alive = {name: alive[name] for name in keep}
        return _combine_rounds(rounds), pd.concat(scores, ignore_index=True), proba

    @available_if(_refitted)
    def predict(self, X):
        """Predict with the average of the members and the tuned decision.

        The argmax of ``log(predict_proba(X)) + class_offset_`` when the
        members have ``predict_proba``; else the best estimator's ``predict``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        if not hasattr(self, "predict_proba"):
            self._check_X(X, reset=False)
            return self.best_estimator_.predict(X)
        return self.classes_[_decide(self.predict_proba(X), self.class_offset_)]

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities: the mean over ``estimators_`` (not decision-tuned).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns aligned with ``classes_``.
        """
        check_is_fitted(self)
        self._check_X(X, reset=False)
        return np.mean(
            [
                _align_columns(model.predict_proba(X), model.classes_, self.classes_)
                for model in self.estimators_
            ],
            axis=0,
        )

    def __getstate__(self):
        # cv_results_ travels as plain columns, which skops can store (a
        # DataFrame it cannot); __setstate__ rebuilds the DataFrame
        state = dict(super().__getstate__())  # a copy: never the live __dict__
        results = state.get("cv_results_")
        if isinstance(results, pd.DataFrame):
            columns = results.to_dict(orient="list")
            state["cv_results_"] = {"columns": columns, "attrs": dict(results.attrs)}
        return state

    def __setstate__(self, state):
        results = state.get("cv_results_")
        if isinstance(results, dict):
            frame = pd.DataFrame(results["columns"])
            frame.attrs = results["attrs"]
            state = {**state, "cv_results_": frame}
        super().__setstate__(state)

    def _tag_estimators(self):
        if isinstance(self.strategies, dict) and self.strategies:
            return list(self.strategies.values())
        families = self.estimator if isinstance(self.estimator, (list, tuple)) else [self.estimator]
        if not families or any(f is not None and not is_classifier(f) for f in families):
            return [f for f in families if f is not None]  # fit raises the error
        # fit builds the sparse-ready preprocessing when X is sparse
        kinds = self.strategies if isinstance(self.strategies, str) else "auto"
        return list(_family_strategies(self.estimator, None, True, kinds).values())

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``sample_weight`` is consumed by the estimator itself and passed to
        every candidate's ``fit``.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`.
        """
        return MetadataRouter(owner=self).add_self_request(self)


def _merge_results(results, oob_scores, classes, n_folds):
    """The searched candidates' results and the out-of-bag ones', ranked together."""
    if oob_scores.empty:
        return results
    oob_results = _summarise(oob_scores, classes)
    oob_results["round"], oob_results["n_folds"] = 0, n_folds
    if results is None:
        return oob_results
    rank_by = results.attrs["rank_by"]
    merged = pd.concat([results, oob_results], ignore_index=True)
    failed = merged["error"].notna().to_numpy()
    key = np.where(failed, -np.inf, merged[f"{rank_by}_mean"].fillna(-np.inf).to_numpy())
    merged = merged.iloc[np.argsort(-key, kind="stable")].reset_index(drop=True)
    merged.attrs = dict(results.attrs)
    return merged


def _with_statistics(results, statistics, pooled_scores):
    """``results`` with the paired statistics against the reference and the pooled scores."""
    joined = results.join(statistics, on="strategy")
    joined["pooled_score"] = joined["strategy"].map(pooled_scores).astype(np.float64)
    joined.attrs = dict(results.attrs)
    return joined


def _combine_rounds(rounds):
    """One row per candidate, from the last round it reached; winners first."""
    last = rounds[-1]
    combined = pd.concat(rounds[::-1], ignore_index=True)
    combined = combined.drop_duplicates("strategy", keep="first").reset_index(drop=True)
    combined.attrs = dict(last.attrs)
    return combined
