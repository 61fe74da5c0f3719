-- wrk script: POSTs the JSON body read from the file named by $BENCH_BODY on every request,
-- and prints the run's figures as one JSON line (prefixed "BENCH_RESULT ") when it ends.
--
--     BENCH_BODY=body-1.json wrk -t2 -c16 -d3s --latency -s post.lua http://127.0.0.1:PORT/PATH

local path = os.getenv("BENCH_BODY")
if path == nil then
    error("set BENCH_BODY to the file of the request body")
end
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

-- No response() callback: defining one makes wrk parse every answer in Lua, which would
-- slow the load generator itself. wrk counts HTTP status >= 400 in errors.status.
function done(summary, latency, requests)
    local errors = summary.errors
    local parts = {
        string.format('"requests": %d', summary.requests),
        string.format('"duration_us": %d', summary.duration),
        string.format('"bytes": %d', summary.bytes),
        string.format('"errors_connect": %d', errors.connect),
        string.format('"errors_read": %d', errors.read),
        string.format('"errors_write": %d', errors.write),
        string.format('"errors_status": %d', errors.status),
        string.format('"errors_timeout": %d', errors.timeout),
        string.format('"latency_mean_us": %.3f', latency.mean),
        string.format('"latency_max_us": %d', latency.max),
    }
    for _, p in ipairs({ 50, 90, 99, 99.9 }) do
        parts[#parts + 1] = string.format('"latency_p%s_us": %d', tostring(p), latency:percentile(p))
    end
    io.write("BENCH_RESULT {" .. table.concat(parts, ", ") .. "}\n")
end
