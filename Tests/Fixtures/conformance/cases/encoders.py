"""Encoders: categories (strings or numbers) to numbers."""

import numpy as np
from generate import Case
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

NAN = float("nan")


def strings(kit):
    """Two string columns (one with a rare category) and their awkward rows."""
    colors = np.array(["red", "green", "blue", "green", "red", "green", "violet", "blue"] * 3)
    sizes = np.array(["S", "M", "L", "XL"] * 6)
    fitted = np.column_stack([colors, sizes]).astype(object)
    return fitted


def cases(kit):
    X = strings(kit)
    known = [["red", "S"], ["blue", "XL"], ["violet", "M"], ["green", "L"]]
    # Code points, not canonical equivalence: "é" composed and decomposed differ.
    accents = np.array([["café", "S"], ["cafe\u0301", "M"], ["cafe", "L"]] * 2, dtype=object)
    yield Case(
        "encoders-onehot-strings",
        OneHotEncoder().fit(X),
        np.array(known, dtype=object),
        refused=[["purple", "S"], ["red", "XXL"], ["Red", "S"]],
    )
    yield Case(
        "encoders-onehot-code-points",
        OneHotEncoder().fit(accents),
        np.array([["café", "S"], ["cafe\u0301", "L"], ["cafe", "M"]], dtype=object),
        refused=[["CAFE", "S"]],
    )
    yield Case(
        "encoders-onehot-ignore",
        OneHotEncoder(handle_unknown="ignore").fit(X),
        np.array(known + [["purple", "S"], ["red", "XXL"], ["", ""]], dtype=object),
    )
    numbers = np.array([[1, 10.5], [2, -3.0], [3, 10.5], [1, 0.0], [2, 7.25], [1, -3.0]] * 3)
    yield Case(
        "encoders-onehot-numbers-drop-first",
        OneHotEncoder(drop="first").fit(numbers),
        np.array([[1, 10.5], [2, -3.0], [3, 0.0], [1.0, 7.25], [3, -0.0]]),
        refused=[[4, 10.5], [1, 10.25], [NAN, 10.5]],
    )
    binary = np.array([["yes", "a"], ["no", "b"], ["yes", "c"], ["no", "a"]] * 3, dtype=object)
    yield Case(
        "encoders-onehot-if-binary",
        OneHotEncoder(drop="if_binary").fit(binary),
        np.array([["yes", "a"], ["no", "c"], ["no", "b"]], dtype=object),
    )
    yield Case(
        "encoders-onehot-drop-explicit",
        OneHotEncoder(drop=["green", "M"]).fit(X),
        np.array(known, dtype=object),
    )
    yield Case(
        "encoders-onehot-drop-ignore",
        OneHotEncoder(drop="first", handle_unknown="ignore").fit(X),
        np.array(known + [["purple", "S"], ["red", "XXL"]], dtype=object),
    )
    yield Case(
        "encoders-onehot-min-frequency",
        OneHotEncoder(min_frequency=4, handle_unknown="infrequent_if_exist").fit(X),
        np.array(known + [["purple", "S"], ["red", "XXL"]], dtype=object),
    )
    yield Case(
        "encoders-onehot-max-categories",
        OneHotEncoder(max_categories=2, handle_unknown="ignore").fit(X),
        np.array(known + [["purple", "XXL"]], dtype=object),
    )
    yield Case(
        "encoders-onehot-infrequent-drop",
        OneHotEncoder(min_frequency=4, drop="first", handle_unknown="error").fit(X),
        np.array(known, dtype=object),
        refused=[["purple", "S"]],
    )
    with_nan = np.array([[1.0, 2.0], [NAN, 2.0], [3.0, NAN], [1.0, 5.0]] * 3)
    yield Case(
        "encoders-onehot-nan-numbers",
        OneHotEncoder().fit(with_nan),
        np.array([[1.0, 2.0], [NAN, NAN], [3.0, 5.0]]),
        refused=[[2.0, 2.0]],
    )
    objects = np.array([["a", "x"], [NAN, "y"], ["b", "x"], ["a", "y"]] * 3, dtype=object)
    yield Case(
        "encoders-onehot-nan-strings",
        OneHotEncoder(handle_unknown="ignore").fit(objects),
        np.array([["a", "x"], [NAN, "y"], ["c", "z"], ["b", "x"]], dtype=object),
    )
    yield Case(
        "encoders-ordinal-strings",
        OrdinalEncoder().fit(X),
        np.array(known, dtype=object),
        refused=[["purple", "S"]],
    )
    yield Case(
        "encoders-ordinal-unknown-value",
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(X),
        np.array(known + [["purple", "S"], ["red", "XXL"]], dtype=object),
    )
    yield Case(
        "encoders-ordinal-numbers",
        OrdinalEncoder(dtype=np.float64).fit(numbers),
        np.array([[1, 10.5], [2, -3.0], [3, 0.0], [3, -0.0]]),
        refused=[[5, 0.0]],
    )
    yield Case(
        "encoders-ordinal-missing",
        OrdinalEncoder().fit(objects),
        np.array([["a", "x"], [NAN, "y"], ["b", "x"]], dtype=object),
        refused=[["c", "x"]],
    )
    yield Case(
        "encoders-ordinal-encoded-missing",
        OrdinalEncoder(
            encoded_missing_value=-2, handle_unknown="use_encoded_value", unknown_value=-1
        ).fit(with_nan),
        np.array([[1.0, 2.0], [NAN, NAN], [3.0, 5.0], [7.0, 2.0]]),
    )
    fixed_width = np.array([["b", "x"], ["a", "y"], ["c", "x"], ["a", "z"]] * 2)
    yield Case(
        "encoders-ordinal-fixed-width-strings",
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=9).fit(fixed_width),
        np.array([["a", "x"], ["c", "z"], ["d", "y"], ["", "x"]]),
    )
    yield Case(
        "encoders-onehot-fixed-width-strings",
        OneHotEncoder(drop="first").fit(fixed_width),
        np.array([["a", "x"], ["c", "z"], ["b", "y"]]),
        refused=[["ab", "x"]],
    )
    integers = np.array([[3, 10], [1, 20], [2, 10], [3, 30], [1, 10], [3, 20]] * 2)
    yield Case(
        "encoders-onehot-integers-explicit-categories",
        OneHotEncoder(categories=[[1, 2, 3, 4], [10, 20, 30]], handle_unknown="ignore").fit(
            integers
        ),
        np.array([[1.0, 10.0], [4.0, 30.0], [3.0, 20.0], [2.0, 11.0], [1.5, 10.0]]),
    )
    yield Case(
        "encoders-ordinal-unknown-nan",
        OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=np.nan, dtype=np.float32
        ).fit(integers),
        np.array([[1.0, 10.0], [4.0, 30.0], [3.0, 20.0], [NAN, 10.0]]),
    )
    try:
        warning = OneHotEncoder(handle_unknown="warn", max_categories=3).fit(X)
    except ValueError:
        warning = None  # handle_unknown='warn' is newer than this scikit-learn
    if warning is not None:
        yield Case(
            "encoders-onehot-warn",
            warning,
            np.array(known + [["purple", "XXL"]], dtype=object),
        )
    if kit.at_least(1, 3):
        yield Case(
            "encoders-ordinal-infrequent",
            OrdinalEncoder(
                min_frequency=4, handle_unknown="use_encoded_value", unknown_value=-1
            ).fit(X),
            np.array(known + [["purple", "S"]], dtype=object),
        )
        yield Case(
            "encoders-ordinal-max-categories-missing",
            OrdinalEncoder(max_categories=2, encoded_missing_value=-3).fit(
                np.array([["a"], ["b"], ["c"], ["a"], [NAN], ["a"], ["b"]] * 2, dtype=object)
            ),
            np.array([["a"], ["b"], ["c"], [NAN]], dtype=object),
            refused=[["d"]],
        )
    if kit.at_least(1, 3):
        yield from target_encoders(kit)


def target_encoders(kit):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import TargetEncoder

    def alone(encoder, X, y):
        """The encoder as the only member of a ColumnTransformer: a TargetEncoder keeps
        `classes_` (None for a continuous target), which the generator would take for a
        classifier's; the column transformer's output is the encoder's own."""
        columns = list(range(X.shape[1]))
        return ColumnTransformer([("target", encoder, columns)]).fit(X, y)

    rng = np.random.RandomState(0)
    X = np.column_stack(
        [rng.choice(["a", "b", "c", "d"], 60), rng.choice(["x", "y", "z"], 60)]
    ).astype(object)
    rows = np.array([["a", "x"], ["b", "y"], ["d", "z"], ["e", "x"], ["c", "w"]], dtype=object)
    y_continuous = rng.normal(size=60) * 10 + 3
    yield Case(
        "encoders-target-continuous",
        alone(TargetEncoder(random_state=0), X, y_continuous),
        rows,
    )
    yield Case(
        "encoders-target-binary",
        alone(TargetEncoder(smooth=2.0, random_state=0), X, rng.choice(["no", "yes"], 60)),
        rows,
    )
    multiclass = rng.choice([3, 5, 9], 60)
    if kit.at_least(1, 4):
        yield Case(
            "encoders-target-multiclass",
            alone(TargetEncoder(random_state=0), X, multiclass),
            rows,
        )
    numbers = rng.choice([1.0, 2.0, 4.0], (60, 1))
    yield Case(
        "encoders-target-numbers",
        alone(TargetEncoder(target_type="continuous", smooth=0.5), numbers, y_continuous),
        np.array([[1.0], [4.0], [3.0], [NAN]]),
    )
