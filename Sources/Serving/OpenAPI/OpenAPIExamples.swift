/// Request and response examples for the bundled example model iris (LogisticRegression,
/// 4 features named sepal_length, sepal_width, petal_length, petal_width; classes 0, 1, 2),
/// so that each one, sent as it is, gets a 200 from a server that serves iris.
enum OpenAPIExamples {
    static let setosa: OpenAPIValue = [5.1, 3.5, 1.4, 0.2]
    static let virginica: OpenAPIValue = [6.7, 3.0, 5.2, 2.3]

    static let namedSetosa: OpenAPIValue = [
        "petal_width": 0.2, "sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4,
    ]

    static let featureNames: OpenAPIValue = [
        "sepal_length", "sepal_width", "petal_length", "petal_width",
    ]

    static let csv = """
        sepal_length,sepal_width,petal_length,petal_width
        5.1,3.5,1.4,0.2
        6.7,3.0,5.2,2.3

        """

    static let nativeRequests: OpenAPIValue = [
        "one_row": ["summary": "One row", "value": ["features": setosa]],
        "rows_and_probabilities": [
            "summary": "Two rows, labels and probabilities",
            "value": [
                "features": [setosa, virginica],
                "outputs": ["predict", "predict_proba"],
            ],
        ],
        "named_rows": [
            "summary": "Rows by feature name, in any order",
            "value": ["instances": [namedSetosa]],
        ],
    ]

    static let nativeResponses: OpenAPIValue = [
        "one_row": ["value": ["prediction": 0]],
        "rows_and_probabilities": [
            "value": [
                "predictions": [0, 2],
                "probabilities": [
                    [0.9815572024179112, 0.01844278310116856, 1.4480920327393706e-08],
                    [5.5801428006809055e-05, 0.08005999667602315, 0.9198842018959701],
                ],
                "classes": [0, 1, 2],
            ]
        ],
    ]

    static let v1Requests: OpenAPIValue = [
        "instances": ["value": ["instances": [setosa, virginica]]],
        "inputs": ["value": ["inputs": [namedSetosa]]],
    ]

    static let v2Requests: OpenAPIValue = [
        "tensor": [
            "summary": "One FP64 tensor of two rows; labels and probabilities",
            "value": [
                "id": "42",
                "inputs": [
                    [
                        "name": "input-0",
                        "shape": [2, 4],
                        "datatype": "FP64",
                        "data": [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6]],
                    ]
                ],
                "outputs": [["name": "predict"], ["name": "predict_proba"]],
            ],
        ],
        "columns": [
            "summary": "One named column per input (a DataFrame)",
            "value": [
                "parameters": ["content_type": "pd"],
                "inputs": [
                    column("sepal_length", [5.1, 6.7]),
                    column("sepal_width", [3.5, 3.0]),
                    column("petal_length", [1.4, 5.2]),
                    column("petal_width", [0.2, 2.3]),
                ],
            ],
        ],
    ]

    static func column(_ name: String, _ data: OpenAPIValue) -> OpenAPIValue {
        ["name": .string(name), "shape": [2], "datatype": "FP64", "data": data]
    }

    static let mlflowRequests: OpenAPIValue = [
        "dataframe_split": [
            "value": [
                "dataframe_split": ["columns": featureNames, "data": [setosa, virginica]]
            ]
        ],
        "dataframe_records": ["value": ["dataframe_records": [namedSetosa]]],
        "instances": ["value": ["instances": [setosa, virginica]]],
        "inputs": ["value": ["inputs": [setosa]]],
    ]
}
