import Glibc
import Logging
import Serving

/// One accept thread's loop: accept, read the whole body, call the handler, answer; until
/// the worker stops.
struct AcceptLoop: Sendable {
    let listeningDescriptor: Int32
    let maxBodyBytes: Int
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    let state: AcceptThreadState
    let stopping: StopFlag
    let served: RequestCounter

    /// Bodies are discarded (413, 400) in pieces of this size, never held whole.
    private static let discardChunk = 64 << 10
    /// A body being discarded is read at most this far; past it the connection is closed
    /// rather than reading forever from a peer that does not stop.
    private static let discardLimit = 1 << 30

    func run() {
        defer { state.phase = .done }
        guard
            let request = FCGIRequest(
                listeningDescriptor: listeningDescriptor,
                flags: LibFCGI.failAcceptOnInterrupt
            )
        else {
            Logger.process.write(
                LogLine(.error, "FCGX_InitRequest failed; accept thread not started")
            )
            return
        }
        let listeningWait = ListeningWait(
            listeningDescriptor: listeningDescriptor,
            stop: stopping
        )
        var lastError: Int32 = 0
        // The stop is seen in `IdleWait`, which also serves what a kept connection holds.
        while !served.isExhausted {
            state.phase = .waiting
            let connection = request.connectionDescriptor
            let ready =
                if connection < 0, let listeningWait {
                    listeningWait.untilAcceptable(stop: stopping)
                } else {
                    IdleWait.untilReadable(
                        connection >= 0 ? connection : listeningDescriptor,
                        isListening: connection < 0,
                        stop: stopping
                    )
                }
            guard ready else { break }
            let status = request.accept()
            guard status == 0 else {
                if stopping.isSet { break }
                // Another thread or worker took the connection first: the listening socket
                // does not block (see `FastCGIServer.serve`).
                if status == -EINTR || status == -EAGAIN || status == -EWOULDBLOCK { continue }
                if status != lastError {
                    Logger.process.write(
                        LogLine(.error, "accept failed", [.init("error", describe(status))])
                    )
                    lastError = status
                }
                // EMFILE and the like: back off instead of spinning.
                var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
                nanosleep(&pause, nil)
                continue
            }
            lastError = 0
            state.phase = .busy
            let answer = respond(to: request)
            request.finish()
            if !answer.keepConnection {
                request.closeConnection()
            }
            if answer.bufferBytes >= WorkerMemory.releaseAfterBytes {
                WorkerMemory.release()
            }
            if served.countOne() {
                // The main thread waits for signals only; this one tells it to recycle.
                kill(getpid(), Signals.requestLimit)
            }
        }
        // A kept connection would otherwise stay open until the process exits.
        request.closeConnection()
    }

    /// Reads the request, answers it, and says whether its connection can be reused and how
    /// large its body and answer were.
    private func respond(to request: FCGIRequest) -> (keepConnection: Bool, bufferBytes: Int) {
        var keepConnection = true
        var bodyBytes = 0
        var handled = false
        let response: HTTPResponse
        let plan = RequestTranslation.bodyPlan(
            contentLength: request.parameter("CONTENT_LENGTH"),
            maxBodyBytes: maxBodyBytes
        )
        switch plan {
        case .read(let byteCount):
            let body = readBody(request, byteCount: byteCount)
            bodyBytes = body.count
            if body.count < byteCount {
                response = ResponseEncoding.incompleteBody(
                    received: body.count,
                    expected: byteCount
                )
                keepConnection = false
            } else {
                response = handle(request, body: body)
                handled = true
            }
        case .readUntilEnd:
            let cap = maxBodyBytes == Int.max ? Int.max : maxBodyBytes + 1
            let body = readBody(request, byteCount: cap, exact: false)
            bodyBytes = body.count
            if body.count > maxBodyBytes {
                keepConnection = discard(request)
                response = ResponseEncoding.bodyTooLarge(
                    byteCount: nil,
                    limit: maxBodyBytes,
                    path: RequestTranslation.path(parameter: { request.parameter($0) })
                )
            } else {
                response = handle(request, body: body)
                handled = true
            }
        case .tooLarge(let byteCount):
            keepConnection = discard(request)
            response = ResponseEncoding.bodyTooLarge(
                byteCount: byteCount,
                limit: maxBodyBytes,
                path: RequestTranslation.path(parameter: { request.parameter($0) })
            )
        case .invalidLength(let text):
            keepConnection = discard(request)
            response = ResponseEncoding.invalidContentLength(text)
        }
        if !handled {
            // The handler logs what it answers; these never reached it. Client faults: debug.
            Logger.process.log(
                .debug,
                LogLine(
                    .debug,
                    "request refused before handling",
                    [
                        .init("request.id", request.parameter("REQUEST_ID") ?? "-"),
                        .init("status", String(response.status)),
                        .init("content.length", request.parameter("CONTENT_LENGTH") ?? "-"),
                    ]
                )
            )
        }
        // Head and body in two writes; libfcgi frames them into records.
        let bufferBytes = max(bodyBytes, response.body.count)
        guard request.write(ResponseEncoding.head(for: response)),
            request.write(response.body)
        else { return (false, bufferBytes) }
        return (keepConnection, bufferBytes)
    }

    private func handle(_ request: FCGIRequest, body: [UInt8]) -> HTTPResponse {
        let httpRequest = RequestTranslation.httpRequest(
            parameter: { request.parameter($0) },
            body: body
        )
        return handler(httpRequest)
    }

    /// Reads `byteCount` bytes, or fewer if the stream ends first. nginx splits a body into
    /// many records; `FCGX_GetStr` may return any part of it, so this loops.
    /// - Parameter exact: when false, `byteCount` is only a cap and the buffer grows as read.
    private func readBody(_ request: FCGIRequest, byteCount: Int, exact: Bool = true) -> [UInt8] {
        guard exact else {
            var body: [UInt8] = []
            // Most requests without a length have no body at all: start small.
            var chunk = [UInt8](repeating: 0, count: 4096)
            while body.count < byteCount {
                let want = min(chunk.count, byteCount - body.count)
                let got = chunk.withUnsafeMutableBytes {
                    request.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want]))
                }
                if got == 0 { break }
                body.append(contentsOf: chunk[..<got])
                if got == chunk.count, chunk.count < Self.discardChunk {
                    chunk = [UInt8](repeating: 0, count: Self.discardChunk)
                }
            }
            return body
        }
        return [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var filled = 0
            while filled < byteCount {
                let got = request.read(
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...])
                )
                if got == 0 { break }
                filled += got
            }
            initialized = filled
        }
    }

    /// Reads and drops the rest of the body so that a kept connection stays in step.
    /// - Returns: false if the body did not end within `discardLimit`.
    private func discard(_ request: FCGIRequest) -> Bool {
        var chunk = [UInt8](repeating: 0, count: Self.discardChunk)
        var total = 0
        while total < Self.discardLimit {
            let got = chunk.withUnsafeMutableBytes { request.read(into: $0) }
            if got == 0 { return true }
            total += got
        }
        return false
    }

    private func describe(_ status: Int32) -> String {
        guard status < 0, status > -4096 else { return "libfcgi error \(status)" }
        return String(cString: strerror(-status))
    }
}
