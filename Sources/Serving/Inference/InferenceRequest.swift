import Estimators

/// A prediction request as every dialect decodes it: the rows, ready for the model, and
/// the outputs asked for, in order.
struct InferenceRequest {
    var rows: Matrix
    var outputs: [ModelOutput]
}

/// The computed outputs of one request, in the order they were asked for; each dialect
/// encodes it in its own shape.
struct InferenceResult {
    let served: ServedModel
    let rowCount: Int
    let outputs: [(output: ModelOutput, result: ModelResult)]

    /// Runs `request` through `served`'s model.
    ///
    /// An empty batch is refused (422) rather than answered with nothing: PROTOCOLS.md's
    /// rule, and a zero-row request is almost always a client bug.
    /// The deadline is checked before each output and after the last, since a model
    /// cannot be stopped mid-batch.
    static func compute(
        _ request: InferenceRequest,
        with served: ServedModel,
        budget: RequestBudget
    ) throws(ServingError) -> InferenceResult {
        guard request.rows.rows > 0 else {
            throw ServingError(.emptyBatch, "the request has no rows; send at least one")
        }
        var outputs: [(output: ModelOutput, result: ModelResult)] = []
        for output in request.outputs {
            try budget.checkDeadline()
            do {
                outputs.append((output, try served.model.compute(output, request.rows)))
            } catch {
                throw ServingError(.invalidRow, error.description)
            }
        }
        try budget.checkDeadline()
        return InferenceResult(served: served, rowCount: request.rows.rows, outputs: outputs)
    }
}
