"""Text models Augur must refuse at load, each for a reason its error names.

Usage: python generate.py OUTDIR (run from the scikit-learn 1.9.1 environment,
/work/main/.venv-versions/sklearn-1.9.1 or scripts/lib/fixture-venvs.sh's). Only for
generating test fixtures: the server never runs Python.
"""

import html
import os
import shlex
import sys

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.tree import DecisionTreeClassifier

DOCS = ["the cat sat", "a dog and a cat", "stocks rose", "bonds fell again"]
LABELS = [0, 0, 1, 1]


def tokenize(text):
    """A tokenizer defined in the script: pickled as __main__.tokenize."""
    return text.split()


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    frame = pd.DataFrame({"text": DOCS})
    models = {
        "tokenizer-function": CountVectorizer(tokenizer=shlex.split, token_pattern=None),
        "analyzer-function": CountVectorizer(analyzer=shlex.split),
        "preprocessor-function": TfidfVectorizer(preprocessor=html.unescape),
        "main-tokenizer": CountVectorizer(tokenizer=tokenize, token_pattern=None),
        "strip-accents-function": CountVectorizer(strip_accents=html.unescape),
        "token-pattern-class": CountVectorizer(token_pattern=r"\b[a-z]{2,}\b"),
    }
    for name, model in models.items():
        joblib.dump(model.fit(DOCS), os.path.join(outdir, name + ".joblib"))
    wide = Pipeline([("hash", HashingVectorizer()), ("tree", DecisionTreeClassifier(max_depth=1))])
    joblib.dump(wide.fit(DOCS, LABELS), os.path.join(outdir, "hashing-wide-tree.joblib"))
    # A list of one column hands the vectorizer a DataFrame, whose iteration gives the
    # column names: scikit-learn then counts the word "text" in every row.
    listed = ColumnTransformer([("words", CountVectorizer(), ["text"])])
    joblib.dump(listed.fit(frame), os.path.join(outdir, "column-list.joblib"))
    # Unions and column transformers write their output dense: 2^20 columns are refused.
    wide_column = ColumnTransformer([("hash", HashingVectorizer(), "text")])
    joblib.dump(wide_column.fit(frame), os.path.join(outdir, "column-hashing-wide.joblib"))
    wide_union = FeatureUnion([("hash", HashingVectorizer()), ("count", CountVectorizer())])
    joblib.dump(wide_union.fit(DOCS), os.path.join(outdir, "union-hashing-wide.joblib"))


if __name__ == "__main__":
    main()
