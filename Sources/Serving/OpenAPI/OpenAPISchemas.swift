import Estimators

/// The request and response bodies of every dialect as JSON Schema (OpenAPI 3.1), in the
/// shapes PROTOCOLS.md gives; `components.schemas` of the document.
enum OpenAPISchemas {
    /// A reference to the schema `name` of this document.
    static func ref(_ name: String) -> OpenAPIValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    static func strings(_ values: [String]) -> OpenAPIValue {
        .array(values.map { .string($0) })
    }

    /// Every schema, by name; with a default model, also that model's own rows, which the
    /// routes without a model name (`/predict`, `/invocations`) take.
    static func all(defaultModel: ServedModel?) -> OpenAPIValue {
        var members: [(key: String, value: OpenAPIValue)] = [
            ("Cell", cell),
            ("Row", row),
            ("Value", value),
            ("Entry", entry),
            ("Label", label),
            ("OutputName", outputName),
            ("NativeRequest", nativeRequest(row: ref("Row"), output: ref("OutputName"))),
            ("NativeResponse", nativeResponse),
            ("V1PredictRequest", v1PredictRequest),
            ("V1PredictResponse", v1PredictResponse),
            ("V1ModelStatus", v1ModelStatus),
            ("V1ModelList", v1ModelList),
            ("V2Datatype", v2Datatype),
            ("V2Parameters", v2Parameters),
            ("V2TensorData", v2TensorData),
            ("V2RequestInput", v2RequestInput),
            ("V2RequestOutput", v2RequestOutput),
            ("V2InferRequest", v2InferRequest),
            ("V2ResponseOutput", v2ResponseOutput),
            ("V2InferResponse", v2InferResponse),
            ("V2TensorMetadata", v2TensorMetadata),
            ("V2ModelMetadata", v2ModelMetadata),
            ("V2ServerMetadata", v2ServerMetadata),
            ("V2Health", v2Health),
            ("V2ModelReady", v2ModelReady),
            (
                "MLflowRequest",
                mlflowRequest(
                    positional: ["type": "array", "minItems": 1, "items": ref("Cell")],
                    named: [
                        "type": "object", "minProperties": 1, "additionalProperties": ref("Cell"),
                    ]
                )
            ),
            ("MLflowResponse", mlflowResponse),
            ("OpenAPIDocument", openAPIDocument),
        ]
        if let defaultModel {
            members += defaultModelSchemas(defaultModel)
        }
        for status in OpenAPIErrors.statuses {
            members.append(("Error\(status)", OpenAPIErrors.errorSchema(status: status)))
        }
        for status in OpenAPIErrors.mlflowStatuses {
            members.append(
                ("MLflowError\(status)", OpenAPIErrors.mlflowErrorSchema(status: status))
            )
        }
        return .object(members)
    }

    // MARK: Rows and outputs, shared by the dialects

    static let cell: OpenAPIValue = [
        "description": """
        One feature value: a number; null for a missing value (NaN), which only models \
        that take missing values accept; a string only in a column the model encodes as \
        categories or text.
        """,
        "type": ["number", "string", "null"],
    ]

    static let row: OpenAPIValue = [
        "description": """
        One input row: a list of the model's n_features_in_ values in order, or an \
        object keyed by feature name (models fitted on named columns; key order does \
        not matter, every feature must be named once).
        """,
        "oneOf": [
            ["type": "array", "minItems": 1, "items": ref("Cell")],
            ["type": "object", "minProperties": 1, "additionalProperties": ref("Cell")],
        ],
    ]

    static let value: OpenAPIValue = [
        "description": """
        One output value: a label in its type (integer, string, float or boolean), or a \
        number; null for a non-finite number (the response then says so).
        """,
        "type": ["number", "string", "boolean", "null"],
    ]

    static let entry: OpenAPIValue = [
        "description": """
        The output for one row: a value, or a list of values (several outputs, a \
        multilabel model's 0 or 1 per label, classes, features or targets).
        """,
        "anyOf": [
            ref("Value"),
            ["type": "array", "items": ref("Value")],
        ],
    ]

    static let label: OpenAPIValue = [
        "description": "A class label in its type.",
        "type": ["number", "string", "boolean"],
    ]

    static var outputName: OpenAPIValue {
        [
            "description": "A method of the model; each model offers the ones its class has.",
            "type": "string",
            "enum": strings(ModelOutput.allCases.map(\.rawValue)),
        ]
    }

    /// A list of rows. Zero rows is a 422 (`empty_batch`), so at least one.
    static func rows(_ row: OpenAPIValue = ref("Row")) -> OpenAPIValue {
        ["type": "array", "minItems": 1, "items": row]
    }

    /// The default model's rows exactly (its width, its feature names, null and strings only
    /// if it takes them) and its outputs, so that generated requests to `/predict` and
    /// `/invocations` mostly fit and reach the model.
    static func defaultModelSchemas(_ served: ServedModel)
        -> [(key: String, value: OpenAPIValue)]
    {
        let model = served.model
        // null (NaN) only for a model that takes missing values, strings only for one that
        // takes them somewhere.
        var types: [OpenAPIValue] = ["number"]
        if !model.textColumns.isEmpty { types.append("string") }
        if model.acceptsMissing { types.append("null") }
        let cell: OpenAPIValue = ["type": .array(types)]
        let positional: OpenAPIValue = [
            "type": "array",
            "minItems": .integer(model.inputWidth),
            "maxItems": .integer(model.inputWidth),
            "items": cell,
        ]
        var named = positional
        if let names = model.featureNames {
            named = [
                "type": "object",
                "required": strings(names),
                "properties": .object(names.map { (key: $0, value: cell) }),
                "additionalProperties": false,
            ]
        }
        let row: OpenAPIValue = [
            "description": .string(
                "A row for the default model '\(served.name)': \(model.inputWidth) values, in "
                    + (model.featureNames == nil ? "order." : "order or by feature name.")
            ),
            "oneOf": positional == named ? [positional] : [positional, named],
        ]
        let output: OpenAPIValue = [
            "type": "string",
            "enum": strings(model.outputs.map(\.rawValue)),
        ]
        return [
            ("DefaultModelRow", row),
            ("DefaultModelOutputName", output),
            (
                "DefaultModelNativeRequest",
                nativeRequest(row: ref("DefaultModelRow"), output: ref("DefaultModelOutputName"))
            ),
            ("DefaultModelMLflowRequest", mlflowRequest(positional: positional, named: named)),
        ]
    }

    // MARK: Native

    static func nativeRequest(row: OpenAPIValue, output: OpenAPIValue) -> OpenAPIValue {
        let outputs: OpenAPIValue = [
            "description": "The outputs to compute, in order; `predict` when omitted.",
            "type": "array",
            "minItems": 1,
            "items": output,
        ]
        return [
            "description": """
            Rows under `features` (one row, or a list of rows) or `instances` (a list of \
            rows), and optionally the outputs to compute.
            """,
            "oneOf": [
                [
                    "type": "object",
                    "required": ["features"],
                    "properties": ["features": ["anyOf": [row, rows(row)]], "outputs": outputs],
                    "additionalProperties": false,
                ],
                [
                    "type": "object",
                    "required": ["instances"],
                    "properties": ["instances": rows(row), "outputs": outputs],
                    "additionalProperties": false,
                ],
            ],
        ]
    }

    static let perRow: OpenAPIValue = ["type": "array", "items": ref("Entry")]

    static let probabilityClasses: OpenAPIValue = [
        "description": """
        The labels of the probability columns (of a multilabel model's columns too); one \
        list per output for a multi-output model.
        """,
        "type": "array",
        "items": ["anyOf": [ref("Label"), ["type": "array", "items": ref("Label")]]],
    ]

    static let nativeResponse: OpenAPIValue = [
        "description": """
        One key per output asked for. `prediction` answers a body that gave one bare \
        row, `predictions` a list of rows; the other outputs are lists with one entry \
        per row.
        """,
        "type": "object",
        "minProperties": 1,
        "properties": [
            "prediction": ref("Entry"),
            "predictions": perRow,
            "probabilities": [
                "description": """
                predict_proba: per row, one probability per class (classes in the order \
                of `classes`); for a multilabel model, the probability of each label; for \
                a multi-output model, one such list per output.
                """,
                "type": "array",
                "items": [
                    "type": "array",
                    "items": [
                        "anyOf": [
                            ["type": ["number", "null"]],
                            ["type": "array", "items": ["type": ["number", "null"]]],
                        ]
                    ],
                ],
            ],
            "classes": probabilityClasses,
            "decision_function": perRow,
            "transform": perRow,
            "score_samples": perRow,
            "non_finite": [
                "description": "Present when an output was NaN or infinite, written as null.",
                "const": true,
            ],
        ],
        "additionalProperties": false,
    ]

    // MARK: KServe V1

    static let v1PredictRequest: OpenAPIValue = [
        "description": "Rows under `instances`, or under `inputs`, which is read the same way.",
        "oneOf": [
            [
                "type": "object",
                "required": ["instances"],
                "properties": ["instances": rows()],
                "additionalProperties": false,
            ],
            [
                "type": "object",
                "required": ["inputs"],
                "properties": ["inputs": rows()],
                "additionalProperties": false,
            ],
        ],
    ]

    static let nonFinite: OpenAPIValue = [
        "description": "Present when a prediction was NaN or infinite, written as null.",
        "const": true,
    ]

    static let v1PredictResponse: OpenAPIValue = [
        "type": "object",
        "required": ["predictions"],
        "properties": [
            "predictions": perRow, "classes": probabilityClasses, "non_finite": nonFinite,
        ],
        "additionalProperties": false,
    ]

    static let v1ModelStatus: OpenAPIValue = [
        "type": "object",
        "required": ["name", "ready"],
        "properties": ["name": ["type": "string"], "ready": ["type": "boolean"]],
        "additionalProperties": false,
    ]

    static let v1ModelList: OpenAPIValue = [
        "type": "object",
        "required": ["models"],
        "properties": ["models": ["type": "array", "items": ["type": "string"]]],
        "additionalProperties": false,
    ]

    // MARK: Open Inference (V2)

    static let v2Datatype: OpenAPIValue = [
        "type": "string",
        "enum": [
            "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
            "FP16", "FP32", "FP64", "BYTES",
        ],
    ]

    static let v2Parameters: OpenAPIValue = [
        "description": """
        Free parameters; `content_type: "pd"` on the request makes each input one named \
        column, `content_type: "str"` on a BYTES input marks text.
        """,
        "type": "object",
        "properties": ["content_type": ["type": "string"]],
    ]

    static let v2Shape: OpenAPIValue = [
        "type": "array",
        "items": ["type": "integer", "minimum": 0],
    ]

    static let v2TensorData: OpenAPIValue = [
        "description": "The tensor's values in row-major order, flat or nested.",
        "type": "array",
        "items": [
            "anyOf": [
                ["type": ["number", "string", "boolean", "null"]],
                ["type": "array"],
            ]
        ],
    ]

    static let v2RequestInput: OpenAPIValue = [
        "type": "object",
        "required": ["name", "shape", "datatype", "data"],
        "properties": [
            "name": ["type": "string"],
            "shape": v2Shape,
            "datatype": ref("V2Datatype"),
            "parameters": ref("V2Parameters"),
            "data": ref("V2TensorData"),
        ],
    ]

    static let v2RequestOutput: OpenAPIValue = [
        "type": "object",
        "required": ["name"],
        "properties": [
            "name": ref("OutputName"),
            "parameters": ref("V2Parameters"),
        ],
    ]

    static let v2InferRequest: OpenAPIValue = [
        "type": "object",
        "required": ["inputs"],
        "properties": [
            "id": ["type": "string"],
            "parameters": ref("V2Parameters"),
            "inputs": ["type": "array", "minItems": 1, "items": ref("V2RequestInput")],
            "outputs": [
                "description": "The outputs to compute; `predict` alone when omitted.",
                "type": "array",
                "items": ref("V2RequestOutput"),
            ],
        ],
    ]

    static let v2ResponseOutput: OpenAPIValue = [
        "type": "object",
        "required": ["name", "shape", "datatype", "data"],
        "properties": [
            "name": ["type": "string"],
            "shape": v2Shape,
            "datatype": ref("V2Datatype"),
            "parameters": [
                "type": "object",
                "properties": [
                    "classes": [
                        "description": """
                        predict_proba: the labels of the columns (of a multilabel model's \
                        columns too); one list per output for a multi-output model.
                        """,
                        "type": "array",
                        "items": [
                            "anyOf": [ref("Label"), ["type": "array", "items": ref("Label")]]
                        ],
                    ]
                ],
            ],
            "data": [
                "description": "Flat, row-major; null for a non-finite number.",
                "type": "array",
                "items": ref("Value"),
            ],
        ],
    ]

    static let v2InferResponse: OpenAPIValue = [
        "type": "object",
        "required": ["model_name", "outputs"],
        "properties": [
            "id": ["description": "The request's `id`, echoed.", "type": "string"],
            "model_name": ["type": "string"],
            "model_version": ["type": "string"],
            "parameters": ["type": "object"],
            "outputs": ["type": "array", "items": ref("V2ResponseOutput")],
        ],
    ]

    static let v2TensorMetadata: OpenAPIValue = [
        "type": "object",
        "required": ["name", "datatype", "shape"],
        "properties": [
            "name": ["type": "string"],
            "datatype": ref("V2Datatype"),
            "shape": [
                "description": "-1 for the batch dimension: [-1, n_features].",
                "type": "array",
                "items": ["type": "integer", "minimum": -1],
            ],
            "parameters": ["type": "object"],
        ],
    ]

    static let v2ModelMetadata: OpenAPIValue = [
        "description": """
        The model's inputs ([-1, n_features]) and outputs; Augur adds the feature \
        names, classes, estimator class, the scikit-learn version that wrote the file, \
        and `generation`: 1 for the models loaded at start, one more per reload.
        """,
        "type": "object",
        "required": ["name", "platform", "inputs", "outputs"],
        "properties": [
            "name": ["type": "string"],
            "versions": ["type": "array", "items": ["type": "string"]],
            "platform": ["type": "string"],
            "inputs": ["type": "array", "items": ref("V2TensorMetadata")],
            "outputs": ["type": "array", "items": ref("V2TensorMetadata")],
            "parameters": ["type": "object"],
            "generation": ["type": "integer", "minimum": 1],
        ],
    ]

    static let v2ServerMetadata: OpenAPIValue = [
        "type": "object",
        "required": ["name", "version", "extensions"],
        "properties": [
            "name": ["type": "string"],
            "version": ["type": "string"],
            "extensions": ["type": "array", "items": ["type": "string"]],
        ],
    ]

    static let v2Health: OpenAPIValue = [
        "description": "The status code is the answer (200 or 503); the body is a small object.",
        "type": "object",
        "properties": ["live": ["type": "boolean"], "ready": ["type": "boolean"]],
    ]

    static let v2ModelReady: OpenAPIValue = [
        "description": "The status code is the answer (200 or 503); the body is a small object.",
        "type": "object",
        "properties": ["name": ["type": "string"], "ready": ["type": "boolean"]],
    ]

    // MARK: MLflow

    static func mlflowForm(_ key: String, _ schema: OpenAPIValue) -> OpenAPIValue {
        [
            "type": "object",
            "required": [.string(key)],
            "properties": .object([(key, schema)]),
            "additionalProperties": false,
        ]
    }

    /// MLflow's request: `positional` rows in `dataframe_split`, `named` ones in
    /// `dataframe_records`; `instances` and `inputs` take either.
    static func mlflowRequest(positional: OpenAPIValue, named: OpenAPIValue) -> OpenAPIValue {
        let either: OpenAPIValue =
            positional == named ? positional : ["oneOf": [positional, named]]
        return [
            "description": """
            Exactly one of `dataframe_split`, `dataframe_records`, `instances`, `inputs`.
            """,
            "oneOf": [
                mlflowForm(
                    "dataframe_split",
                    [
                        "type": "object",
                        "required": ["data"],
                        "properties": [
                            "columns": ["type": "array", "items": ["type": "string"]],
                            "index": ["type": "array"],
                            "data": rows(positional),
                        ],
                        "additionalProperties": false,
                    ]
                ),
                mlflowForm("dataframe_records", rows(named)),
                mlflowForm("instances", rows(either)),
                mlflowForm("inputs", rows(either)),
            ],
        ]
    }

    static let mlflowResponse: OpenAPIValue = v1PredictResponse

    // MARK: Operations

    static let openAPIDocument: OpenAPIValue = [
        "description": "This document.",
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "properties": [
            "openapi": ["type": "string"],
            "info": ["type": "object"],
            "paths": ["type": "object"],
        ],
    ]
}
