"""Text: vectorizers on their own and at the head of pipelines, one document per row."""

import numpy as np
import pandas as pd
from generate import Case
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import (
    CountVectorizer,
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.naive_bayes import BernoulliNB, ComplementNB, MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

NAN = float("nan")

# Documents with what Python's str.lower() and re's Unicode \w treat specially: accents
# composed and decomposed (a combining mark is not \w), Greek final sigma, Turkish dotted
# I (lowercases to two code points), sharp s, CJK, digits of other scripts, superscripts
# and fractions (numeric, so \w), emoji (not \w), underscores, non-breaking and ideographic
# spaces, tabs and the U+001C..U+001F separators (white space to Python).
CORPUS = [
    ("The cat sat on the mat with another cat", "pets"),
    ("A dog and a cat played in the garden", "pets"),
    ("Dogs bark; cats meow. The DOG slept", "pets"),
    ("my_cat and my_dog share a bowl", "pets"),
    ("Kittens, puppies and a hamster", "pets"),
    ("Le café est très bon à Paris", "food"),
    ("Un cafe\u0301 crème et un croissant", "food"),
    ("Straße café crème brûlée", "food"),
    ("Crêpes au ﬁromage à Köln, 한국어 비빔밥", "food"),
    ("寿司 と ラーメン が 好き です", "food"),
    ("Pizza 🍕 and pasta 🍝 for dinner", "food"),
    ("ΟΔΟΣ ΚΑΦΕΣ καφές Σίσυφος", "food"),
    ("Tea\u00a0and\u3000biscuits\tat four", "food"),
    ("Stock prices rose 3% in 2024", "finance"),
    ("Bonds fell; the market ١٢٣ and ४२ traders", "finance"),
    ("İstanbul exchange: Ⅻ deals, x² growth, ½ share", "finance"),
    ("Interest_rate hikes hit the market again", "finance"),
    ("The market rallied and stocks rose", "finance"),
    ("Investors sold bonds\x1cand bought stocks", "finance"),
]

ROWS = [
    "the cat and the dog",
    "Café CAFÉ cafe\u0301 café",
    "market market MARKET stocks_2024",
    "",
    "   \t  ",
    "unseen words only zzz",
    "ΣΊΣΥΦΟΣ Σ ΑΣ",
    "寿司と ラーメン 🍕🍕",
    "١٢٣ ४२ Ⅻ x² ½ İİ ß",
    "a b c d e f",
    "Tea\u00a0and\u3000biscuits\x1d\x1e market",
    "the the the the cat",
    "ﬁancé Ångström ǅemal 한국어 ℌilbert Ⅻ ① ＡＢＣ",
]

REFUSED = [NAN, None, 5.0]


def documents():
    return [text for text, _ in CORPUS], [label for _, label in CORPUS]


def cases(kit):
    docs, labels = documents()
    rows = ROWS

    def case(name, estimator, **options):
        return Case("text-" + name, estimator, rows, refused=REFUSED, **options)

    yield case("count-default", CountVectorizer().fit(docs))
    yield case(
        "count-ngrams-english",
        CountVectorizer(ngram_range=(1, 3), stop_words="english", max_features=40).fit(docs),
    )
    yield case(
        "count-binary-df",
        CountVectorizer(binary=True, lowercase=False, min_df=2, max_df=0.5).fit(docs),
    )
    yield case(
        "count-stop-list-pattern",
        CountVectorizer(
            stop_words=["the", "and", "a", "ΚΑΦΕΣ"], token_pattern=r"(?u)\b\w+\b",
            ngram_range=(2, 2), dtype=np.float32,
        ).fit(docs),
    )
    yield case(
        "count-nonspace-runs",
        CountVectorizer(token_pattern=r"\S+", lowercase=False, dtype=np.int32).fit(docs),
    )
    yield case(
        "count-char",
        CountVectorizer(analyzer="char", ngram_range=(1, 3), max_features=120).fit(docs),
    )
    yield case(
        "count-char-wb",
        CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), max_features=120).fit(docs),
    )
    yield case("count-strip-unicode", CountVectorizer(strip_accents="unicode").fit(docs))
    yield case(
        "count-strip-ascii-char",
        CountVectorizer(
            strip_accents="ascii", analyzer="char_wb", ngram_range=(1, 2), max_features=90
        ).fit(docs),
    )
    yield case("tfidf-default", TfidfVectorizer().fit(docs))
    yield case(
        "tfidf-l1-sublinear",
        TfidfVectorizer(
            norm="l1", sublinear_tf=True, smooth_idf=False, ngram_range=(1, 2), min_df=1
        ).fit(docs),
    )
    yield case(
        "tfidf-plain-binary",
        TfidfVectorizer(use_idf=False, norm=None, binary=True, stop_words="english").fit(docs),
    )
    yield case(
        "tfidf-char-wb",
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), max_features=100).fit(docs),
    )
    # float32 weights: each product and quotient rounded to float32, as numpy does.
    yield case("tfidf-float32", TfidfVectorizer(dtype=np.float32).fit(docs))
    yield case(
        "tfidf-float32-l1-char",
        TfidfVectorizer(
            dtype=np.float32, norm="l1", analyzer="char", ngram_range=(1, 2), max_features=80
        ).fit(docs),
    )
    yield case("hashing-float32", HashingVectorizer(n_features=32, dtype=np.float32).fit(docs))
    yield case("hashing-small", HashingVectorizer(n_features=64).fit(docs))
    # Few columns, so that terms of opposite signs cancel in a column: binary sets it to 1.
    yield case(
        "hashing-binary-cancel",
        HashingVectorizer(n_features=3, binary=True, norm=None).fit(docs),
    )
    yield case(
        "hashing-char-l1",
        HashingVectorizer(
            n_features=50, analyzer="char", ngram_range=(2, 3), norm="l1", alternate_sign=False
        ).fit(docs),
    )

    counts = CountVectorizer().fit_transform(docs).toarray()
    for name, transformer in [
        ("tfidf-transformer", TfidfTransformer()),
        ("tfidf-transformer-options", TfidfTransformer(norm="l1", sublinear_tf=True)),
        ("tfidf-transformer-no-idf", TfidfTransformer(use_idf=False, smooth_idf=False)),
    ]:
        # The log of a negative count is NaN, which the norm then refuses.
        sublinear = transformer.sublinear_tf
        yield Case(
            "text-" + name,
            transformer.fit(counts),
            kit.awkward(counts, count=5, negative=not sublinear),
            refused=[np.full(counts.shape[1], NAN)] + ([-counts[0]] if sublinear else []),
        )

    yield case(
        "pipeline-tfidf-logistic",
        Pipeline([("tfidf", TfidfVectorizer()), ("model", LogisticRegression())]).fit(
            docs, labels
        ),
    )
    yield case(
        "pipeline-count-multinomial-nb",
        Pipeline([("count", CountVectorizer()), ("model", MultinomialNB())]).fit(docs, labels),
    )
    yield case(
        "pipeline-tfidf-complement-nb",
        Pipeline(
            [("tfidf", TfidfVectorizer(ngram_range=(1, 2))), ("model", ComplementNB(alpha=0.5))]
        ).fit(docs, labels),
    )
    yield case(
        "pipeline-count-bernoulli-nb",
        Pipeline(
            [("count", CountVectorizer(binary=True)), ("model", BernoulliNB(binarize=0.5))]
        ).fit(docs, labels),
    )
    yield case(
        "pipeline-hashing-multinomial-nb",
        Pipeline(
            [
                ("hash", HashingVectorizer(n_features=2**9, alternate_sign=False, norm=None)),
                ("model", MultinomialNB()),
            ]
        ).fit(docs, labels),
    )
    binary = [label == "food" for label in labels]
    yield case(
        "pipeline-tfidf-logistic-binary",
        Pipeline(
            [("tfidf", TfidfVectorizer(ngram_range=(1, 2))), ("model", LogisticRegression())]
        ).fit(docs, binary),
    )
    yield case(
        "pipeline-count-tfidf-sgd",
        Pipeline(
            [
                ("count", CountVectorizer(stop_words="english")),
                ("tfidf", TfidfTransformer(sublinear_tf=True)),
                ("model", SGDClassifier(loss="modified_huber", random_state=0)),
            ]
        ).fit(docs, labels),
    )
    yield case(
        "pipeline-hashing-linearsvc",
        Pipeline(
            [("hash", HashingVectorizer(n_features=2**12)), ("model", LinearSVC(random_state=0))]
        ).fit(docs, binary),
    )
    yield case(
        "pipeline-tfidf-ridge",
        Pipeline([("tfidf", TfidfVectorizer(analyzer="char_wb")), ("model", Ridge())]).fit(
            docs, np.arange(len(docs), dtype=float)
        ),
    )
    yield case(
        "pipeline-count-tree",
        Pipeline(
            [("count", CountVectorizer()), ("tree", DecisionTreeClassifier(random_state=0))]
        ).fit(docs, labels),
        exact=True,
    )

    frame = pd.DataFrame({"text": docs, "length": [float(len(d)) for d in docs]})
    asked = pd.DataFrame({"text": rows, "length": [float(len(r)) for r in rows]})
    yield Case(
        "text-column-transformer-logistic",
        Pipeline(
            [
                (
                    "columns",
                    ColumnTransformer(
                        [("words", TfidfVectorizer(), "text"), ("size", StandardScaler(), ["length"])]
                    ),
                ),
                ("model", LogisticRegression()),
            ]
        ).fit(frame, labels),
        asked,
    )
    # Words and character n-grams side by side: the union's members take the same column.
    yield case(
        "pipeline-union-logistic",
        Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            ("words", TfidfVectorizer(stop_words="english")),
                            ("chars", TfidfVectorizer(analyzer="char_wb", max_features=60)),
                        ]
                    ),
                ),
                ("model", LogisticRegression()),
            ]
        ).fit(docs, labels),
    )
    # A 2-D array (no column names) whose text column is named by an integer.
    table = np.array([[d, float(len(d))] for d in docs], dtype=object)
    asked_table = np.array([[r, float(len(r))] for r in rows], dtype=object)
    yield Case(
        "text-column-index-ridge",
        Pipeline(
            [
                (
                    "columns",
                    ColumnTransformer(
                        [("words", CountVectorizer(binary=True), 0)], remainder="passthrough"
                    ),
                ),
                ("model", Ridge()),
            ]
        ).fit(table, np.arange(len(docs), dtype=float)),
        asked_table,
    )
