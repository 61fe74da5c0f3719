"""XGBoost and LightGBM: their scikit-learn wrappers, and the same boosters saved in the
libraries' own formats (XGBoost JSON and UBJSON, LightGBM model text).

Only the environments that install xgboost and lightgbm (the newest) build these.
"""

import pickle

import numpy as np
from generate import Case

try:
    import lightgbm
    import xgboost
except ImportError:  # the older environments do not install them
    xgboost = lightgbm = None


def exact_case(*args, **kwargs):
    """A case compared bit for bit, as tree ensembles are."""
    return Case(*args, exact=True, **kwargs)


def xgb_files():
    """The booster of an XGBoost wrapper, saved as XGBoost itself saves it."""

    def save(est, path):
        # XGBoost picks JSON or UBJSON by the file's extension.
        est.get_booster().save_model(path)

    return {
        ".xgb.json": (save, "xgboost.core.Booster"),
        ".xgb.ubj": (save, "xgboost.core.Booster"),
    }


def lgbm_files():
    def save(est, path):
        est.booster_.save_model(path)

    return {".lgbm.txt": (save, "lightgbm.basic.Booster")}


def pickled():
    """The wrapper pickled with protocols 2 and 4 (joblib writes 5), whose `bytearray`
    the pickle machine meets as `_codecs.encode` and `builtins.bytearray`."""

    def dump(protocol):
        def write(est, path):
            with open(path, "wb") as file:
                pickle.dump(est, file, protocol=protocol)

        return write

    return {".p2.pkl": (dump(2), None), ".p4.pkl": (dump(4), None)}


def nan_rows(X, columns=(0, 2)):
    """Rows with NaN in some columns and a row of NaN only."""
    rows = np.array(X[:3], dtype=float)
    rows[0, columns[0]] = np.nan
    rows[1, columns[1]] = np.nan
    rows[2, :] = np.nan
    return rows


def rows_for(kit, X):
    """Awkward rows (1e300 included: both libraries take it) and NaN rows."""
    return np.vstack([kit.awkward(X), nan_rows(X), np.full((1, X.shape[1]), 1e-36)])


def with_holes(X, step=7, column=0):
    X = np.array(X, dtype=float)
    X[::step, column] = np.nan
    return X


def xgboost_cases(kit):
    bX, by = kit.binary_X, kit.binary_y
    iX, iy = kit.iris_X, kit.iris_y
    dX, dy = kit.diabetes_X, kit.diabetes_y

    model = xgboost.XGBClassifier(n_estimators=8, max_depth=3, random_state=0)
    model.fit(with_holes(bX), by)
    yield Case(
        "boosters-xgb-binary",
        model,
        rows_for(kit, bX),
        exact=True,
        also_saved_as={**xgb_files(), **pickled()},
    )

    model = xgboost.XGBClassifier(n_estimators=5, max_depth=2, learning_rate=0.5, random_state=0)
    model.fit(iX, iy)
    yield Case(
        "boosters-xgb-multiclass", model, rows_for(kit, iX), exact=True, also_saved_as=xgb_files()
    )

    model = xgboost.XGBClassifier(
        n_estimators=4, max_depth=2, objective="multi:softmax", random_state=0
    ).fit(with_holes(iX, column=2), iy)
    yield Case(
        "boosters-xgb-softmax", model, rows_for(kit, iX), exact=True, also_saved_as=xgb_files()
    )

    model = xgboost.XGBRegressor(n_estimators=10, max_depth=3, random_state=0)
    model.fit(with_holes(dX, column=2), dy)
    yield Case(
        "boosters-xgb-regressor", model, rows_for(kit, dX), exact=True, also_saved_as=xgb_files()
    )

    model = xgboost.XGBRegressor(
        n_estimators=6, max_depth=2, objective="count:poisson", random_state=0
    ).fit(dX, np.round(dy / 30))
    yield Case("boosters-xgb-poisson", model, rows_for(kit, dX), exact=True)

    model = xgboost.XGBRegressor(
        n_estimators=6, max_depth=3, objective="reg:absoluteerror", random_state=0
    ).fit(dX, dy)
    yield Case("boosters-xgb-absolute-error", model, rows_for(kit, dX), exact=True)

    # A logistic regression objective with a user base_score: the intercept goes through
    # the logit.
    target = (dy - dy.min()) / (dy.max() - dy.min())
    model = xgboost.XGBRegressor(
        n_estimators=5, max_depth=2, objective="reg:logistic", base_score=0.3, random_state=0
    ).fit(dX, target)
    yield Case("boosters-xgb-logistic-base-score", model, rows_for(kit, dX), exact=True)

    # Categorical splits: column 1 holds category codes.
    rng = np.random.RandomState(3)
    cX = rng.rand(200, 3)
    cX[:, 1] = rng.randint(0, 6, 200)
    cy = (cX[:, 0] + (cX[:, 1] % 2) + 0.3 * (cX[:, 1] == 4)) > 1
    cX[::9, 1] = np.nan
    model = xgboost.XGBClassifier(
        n_estimators=6,
        max_depth=3,
        feature_types=["q", "c", "q"],
        enable_categorical=True,
        max_cat_to_onehot=1,
        random_state=0,
    ).fit(cX, cy)
    cat_rows = np.array(
        [[0.5, c, 0.2] for c in (0, 1, 2, 3, 4, 5, 6, 40, -1, 2.7, np.nan, 1e9)]
        + [[0.1, 3, 0.9], [0.9, 2, 0.1]]
    )
    yield Case(
        "boosters-xgb-categorical", model, cat_rows, exact=True, also_saved_as=xgb_files()
    )

    # Early stopping: predictions use the rounds up to best_iteration only.
    model = xgboost.XGBClassifier(
        n_estimators=20,
        max_depth=3,
        learning_rate=0.9,
        early_stopping_rounds=2,
        eval_metric="logloss",
        random_state=0,
    )
    model.fit(bX[:80], by[:80], eval_set=[(bX[80:], by[80:])], verbose=False)
    assert model.best_iteration < 19, model.best_iteration
    yield Case(
        "boosters-xgb-best-iteration", model, rows_for(kit, bX), exact=True,
        also_saved_as=xgb_files(),
    )

    # Binary objectives without probabilities: the wrapper still stacks [1 - p, p].
    for objective in ("binary:logitraw", "binary:hinge"):
        model = xgboost.XGBClassifier(
            n_estimators=4, max_depth=2, objective=objective, random_state=0
        ).fit(bX, by)
        name = objective.split(":")[1]
        yield Case(f"boosters-xgb-{name}", model, rows_for(kit, bX), exact=True)

    model = xgboost.XGBRegressor(
        n_estimators=5, max_depth=2, objective="reg:tweedie", random_state=0
    ).fit(dX, dy)
    yield Case("boosters-xgb-tweedie", model, rows_for(kit, dX), exact=True)

    model = xgboost.XGBRFClassifier(n_estimators=4, max_depth=3, random_state=0).fit(iX, iy)
    yield Case("boosters-xgb-rf-classifier", model, rows_for(kit, iX), exact=True)
    model = xgboost.XGBRFRegressor(n_estimators=4, max_depth=3, random_state=0).fit(dX, dy)
    yield Case("boosters-xgb-rf-regressor", model, rows_for(kit, dX), exact=True)


def lightgbm_cases(kit):
    bX, by = kit.binary_X, kit.binary_y
    iX, iy = kit.iris_X, kit.iris_y
    dX, dy = kit.diabetes_X, kit.diabetes_y
    quiet = {"verbose": -1, "random_state": 0, "min_child_samples": 5}

    model = lightgbm.LGBMClassifier(n_estimators=10, num_leaves=6, **quiet)
    model.fit(with_holes(bX), by)
    yield exact_case(
        "boosters-lgbm-binary",
        model,
        rows_for(kit, bX),
        also_saved_as={**lgbm_files(), **pickled()},
    )

    model = lightgbm.LGBMClassifier(n_estimators=6, num_leaves=4, **quiet).fit(iX, iy)
    yield exact_case(
        "boosters-lgbm-multiclass", model, rows_for(kit, iX), also_saved_as=lgbm_files()
    )

    model = lightgbm.LGBMClassifier(n_estimators=5, num_leaves=4, **quiet)
    model.fit(with_holes(iX, column=3), kit.iris_names)
    yield exact_case("boosters-lgbm-string-labels", model, rows_for(kit, iX))

    model = lightgbm.LGBMClassifier(
        n_estimators=5, num_leaves=4, objective="multiclassova", **quiet
    ).fit(iX, iy)
    yield exact_case(
        "boosters-lgbm-multiclassova", model, rows_for(kit, iX), also_saved_as=lgbm_files()
    )

    model = lightgbm.LGBMRegressor(n_estimators=12, num_leaves=8, **quiet)
    model.fit(with_holes(dX, column=2), dy)
    yield exact_case(
        "boosters-lgbm-regressor", model, rows_for(kit, dX), also_saved_as=lgbm_files()
    )

    model = lightgbm.LGBMRegressor(
        n_estimators=6, num_leaves=5, objective="poisson", **quiet
    ).fit(dX, np.round(dy / 30))
    yield exact_case("boosters-lgbm-poisson", model, rows_for(kit, dX))

    # Cross-entropy on a target in [0, 1], square-rooted regression, random-forest mode.
    target = (dy - dy.min()) / (dy.max() - dy.min())
    model = lightgbm.LGBMRegressor(
        n_estimators=5, num_leaves=5, objective="cross_entropy", **quiet
    ).fit(dX, target)
    yield exact_case("boosters-lgbm-cross-entropy", model, rows_for(kit, dX))
    model = lightgbm.LGBMRegressor(n_estimators=5, num_leaves=5, reg_sqrt=True, **quiet)
    model.fit(dX, dy)
    yield exact_case("boosters-lgbm-reg-sqrt", model, rows_for(kit, dX))
    model = lightgbm.LGBMRegressor(
        boosting_type="rf", n_estimators=4, num_leaves=6, subsample=0.7, subsample_freq=1, **quiet
    ).fit(dX, dy)
    yield exact_case(
        "boosters-lgbm-random-forest", model, rows_for(kit, dX), also_saved_as=lgbm_files()
    )

    # Zeros as missing values: the Zero missing type.
    zX = np.array(dX)
    zX[::4, 0] = 0.0
    model = lightgbm.LGBMRegressor(
        n_estimators=6, num_leaves=5, zero_as_missing=True, **quiet
    ).fit(zX, dy)
    yield exact_case("boosters-lgbm-zero-as-missing", model, rows_for(kit, zX))

    # Categorical splits on column 1's integer codes.
    rng = np.random.RandomState(3)
    cX = rng.rand(300, 3)
    cX[:, 1] = rng.randint(0, 8, 300)
    cy = cX[:, 0] + (cX[:, 1] % 3) + 0.5 * (cX[:, 1] == 5)
    cX[::11, 1] = np.nan
    model = lightgbm.LGBMRegressor(
        n_estimators=6, num_leaves=6, min_data_per_group=5, cat_smooth=1, **quiet
    ).fit(cX, cy, categorical_feature=[1])
    cat_rows = np.array(
        [[0.5, c, 0.2] for c in (0, 1, 2, 3, 4, 5, 6, 7, 40, -1, 2.7, np.nan, 1e12, -0.5)]
    )
    yield exact_case("boosters-lgbm-categorical", model, cat_rows, also_saved_as=lgbm_files())

    # Early stopping: the pickled booster keeps every round and predicts with
    # best_iteration; the saved text keeps only those rounds.
    model = lightgbm.LGBMClassifier(n_estimators=20, num_leaves=8, learning_rate=0.8, **quiet)
    model.fit(
        bX[:80],
        by[:80],
        eval_set=[(bX[80:], by[80:])],
        callbacks=[lightgbm.early_stopping(2, verbose=False)],
    )
    assert 0 < model.best_iteration_ < 20, model.best_iteration_
    yield exact_case(
        "boosters-lgbm-best-iteration", model, rows_for(kit, bX), also_saved_as=lgbm_files()
    )


def issue_cases(kit):
    """cases.md C13 (a) and (b): the wrappers with their defaults but five rounds, on iris,
    which Augur refused before it read boosters."""
    X, y = kit.iris_X, kit.iris_y
    model = xgboost.XGBClassifier(n_estimators=5).fit(X, y)
    yield Case("boosters-c13-xgb-iris", model, rows_for(kit, X), exact=True)
    model = lightgbm.LGBMClassifier(n_estimators=5, verbose=-1).fit(X, y)
    yield exact_case("boosters-c13-lgbm-iris", model, rows_for(kit, X))


def cases(kit):
    if xgboost is None or lightgbm is None:
        return
    yield from xgboost_cases(kit)
    yield from lightgbm_cases(kit)
    yield from issue_cases(kit)
