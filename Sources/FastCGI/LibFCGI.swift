import CFastCGI
import Glibc

// The only file that calls libfcgi (IdleWait and WorkerMemory take epoll and malloc from
// CFastCGI): one thin wrapper per FCGX_* call, so the rest of the module sees Swift types
// and no pointers.

/// Process-wide libfcgi calls.
enum LibFCGI {
    /// Initialises libfcgi once per process (`FCGX_Init`).
    ///
    /// libfcgi installs its SIGPIPE and SIGUSR1 handlers here, but only where the disposition
    /// is still the default, so handlers installed before this call are kept.
    /// - Returns: 0, or libfcgi's error code.
    static func initialize() -> Int32 {
        FCGX_Init()
    }

    /// Makes every later accept return instead of waiting for a new connection
    /// (`FCGX_ShutdownPending`). Safe to call from any thread.
    static func shutdownPending() {
        FCGX_ShutdownPending()
    }

    /// The flag that makes `FCGX_Accept_r` return when a signal interrupts `accept`
    /// (`FCGI_FAIL_ACCEPT_ON_INTR`).
    static var failAcceptOnInterrupt: Int32 { Int32(FCGI_FAIL_ACCEPT_ON_INTR) }
}

/// One `FCGX_Request` at a stable heap address, used by one accept thread only.
///
/// libfcgi keeps pointers into the request between calls, so it must never move: it is
/// allocated once here and freed in `deinit`.
final class FCGIRequest {
    private let raw: UnsafeMutablePointer<FCGX_Request>

    /// Prepares a request that accepts on `listeningDescriptor` (`FCGX_InitRequest`).
    /// - Returns: nil if libfcgi refuses (it only does so for a bad descriptor).
    init?(listeningDescriptor: Int32, flags: Int32) {
        raw = .allocate(capacity: 1)
        raw.initialize(to: FCGX_Request())
        guard FCGX_InitRequest(raw, listeningDescriptor, flags) == 0 else {
            raw.deallocate()
            return nil
        }
    }

    deinit {
        FCGX_Free(raw, 1)
        raw.deallocate()
    }

    /// The descriptor of the connection this request keeps open for the next one
    /// (`ipcFd`), or -1 when it has none and the next `accept` takes a new connection.
    var connectionDescriptor: Int32 { raw.pointee.ipcFd }

    /// Finishes the previous request and waits for the next one (`FCGX_Accept_r`). On a kept
    /// connection this reads the next request from it; otherwise it accepts a new connection.
    /// - Returns: 0 on success, a negative errno or libfcgi code on failure or shutdown.
    func accept() -> Int32 {
        FCGX_Accept_r(raw)
    }

    /// Flushes the response and ends the request (`FCGX_Finish_r`); the connection stays open
    /// when the web server asked to keep it.
    func finish() {
        FCGX_Finish_r(raw)
    }

    /// Releases the request's streams and closes its connection (`FCGX_Free` with close).
    func closeConnection() {
        FCGX_Free(raw, 1)
    }

    /// The value of one request parameter, copied out (`FCGX_GetParam`). libfcgi's own string
    /// is only valid until the next accept, so it never escapes this call.
    func parameter(_ name: String) -> String? {
        guard let envp = raw.pointee.envp, let value = FCGX_GetParam(name, envp) else {
            return nil
        }
        return String(cString: value)
    }

    /// Reads up to `buffer.count` body bytes (`FCGX_GetStr`).
    /// - Returns: the number of bytes read; 0 means the body ended (or the stream failed).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty, let input = raw.pointee.in else {
            return 0
        }
        let count = Int32(clamping: buffer.count)
        let got = FCGX_GetStr(base.assumingMemoryBound(to: CChar.self), count, input)
        return max(0, Int(got))
    }

    /// Writes bytes to the response (`FCGX_PutStr`), in pieces below `Int32.max`.
    /// - Returns: false if the web server's connection failed.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        guard let output = raw.pointee.out else { return false }
        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let piece = min(buffer.count - offset, 1 << 30)
                let pointer = buffer.baseAddress!.advanced(by: offset)
                    .assumingMemoryBound(to: CChar.self)
                guard FCGX_PutStr(pointer, Int32(piece), output) == Int32(piece) else {
                    return false
                }
                offset += piece
            }
            return true
        }
    }

    /// Sends buffered response bytes now (`FCGX_FFlush`).
    /// - Returns: false if the web server's connection failed.
    @discardableResult
    func flush() -> Bool {
        guard let output = raw.pointee.out else { return false }
        return FCGX_FFlush(output) != -1
    }
}
