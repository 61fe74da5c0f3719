// Generated from nginx/ by NginxFilesTests, which fails when this file differs from what
// it makes of them; `AUGUR_RECORD_SNAPSHOTS=1 swift test --filter NginxFilesTests` rewrites
// it. Embedded at build time because Sources may not use Foundation, which SwiftPM
// resources need, and an installed binary would not find the repository.
// swift-format-ignore-file

/// The repository's nginx/ files, for `augur nginx-config`, each without its last newline.
enum NginxFiles {
    /// nginx/nginx.conf
    static let nginxConf = #"""
# A complete nginx main configuration for Augur that runs unprivileged from a prefix
# directory: pid, logs and temp files all live under the prefix given with -p.
#
#     nginx -p DIR -c DIR/nginx.conf -e stderr -g 'daemon off;'
#
# DIR holds this file, augur.conf, augur-upstream.conf and fastcgi_params. Tests and the
# demo script copy them to a temporary DIR and rewrite `listen 127.0.0.1:8080;` and
# `server unix:/run/augur/augur.sock;` in augur.conf with sed; keep those lines as they are.

worker_processes 2;
pid nginx.pid;
error_log error.log warn;

events {
    worker_connections 1024;
}

http {
    # logfmt, as augur logs: request.id is the $request_id nginx also sends the pool as
    # REQUEST_ID, so a request's access line and its worker line share it.
    log_format augur 'time=$time_iso8601 request.id=$request_id remote=$remote_addr '
                     'method=$request_method uri="$request_uri" status=$status '
                     'bytes=$body_bytes_sent duration.s=$request_time '
                     'upstream.s=$upstream_response_time';
    access_log access.log augur;
    # No nginx version in the Server header or in error pages.
    server_tokens off;
    keepalive_timeout 65s;

    client_body_temp_path client_body_temp;
    fastcgi_temp_path fastcgi_temp;
    proxy_temp_path proxy_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;

    include augur.conf;
}
"""#

    /// nginx/augur.conf
    static let augurConf = #"""
# Augur's site: include this file inside `http { }` (nginx.conf beside it does).
#
# Tests and the demo script copy every file of nginx/ to a temporary directory and rewrite
# two lines with sed, so keep each exactly as written and appearing once: the listen line
# `listen 127.0.0.1:8080;` and the pool's `server unix:/run/augur/augur.sock;`.
#
# nginx owns HTTP here: the POST routes get only POST (405 with `Allow: POST` otherwise),
# bodies over 64 MiB are refused with 413, /metrics answers local addresses only, unknown
# paths get 404, and nginx's own errors are JSON like the pool's.

# The methods a path answers, for the 405 nginx gives methods it refuses before any
# location (TRACE): POST for the routes that predict, GET and HEAD for the others.
map $uri $augur_allowed_methods {
    "~^/(predict(/[A-Za-z0-9._-]+)?|invocations|v1/models/[^/]+:predict|v2/models/[^/]+(/versions/[^/]+)?/infer)$" "POST";
    default "GET, HEAD";
}

upstream augur_pool {
    server unix:/run/augur/augur.sock;

    # Idle connections each nginx worker keeps open to the pool. A kept connection pins one
    # accept thread of an Augur worker until nginx closes it (libfcgi serves one connection
    # per thread); when every thread is pinned, a new request waits in the socket's queue
    # until nginx's fastcgi_read_timeout (60 s) and ends in a 504. Keep
    #     keepalive x nginx worker_processes  <  augur --workers x --threads
    # with room to spare: here 1 x 2 = 2 pinned, below the 4 accept threads of even a
    # single worker with the default four threads (measured here: 1 worker with keepalive 2
    # left 2 of 40 concurrent requests hanging for 60 s). Raise it only with the pool.
    keepalive 1;
}

server {
    listen 127.0.0.1:8080;
    server_name _;

    default_type application/json;
    charset off;

    # The pool's own limit is 64 MiB too; the buffer equals the limit so that bodies stay in
    # memory instead of going through temp files.
    client_max_body_size 64m;
    client_body_buffer_size 64m;

    # Slow clients wait in nginx, never in the pool. nginx reads a whole request body before
    # it starts the FastCGI request and buffers the answer before it writes it out, so a
    # worker's thread is held only while the worker computes (both are nginx's defaults,
    # stated so that they stay on). The timeouts bound what a slow connection costs nginx:
    # the whole header within client_header_timeout (a slowloris is closed then, however
    # it trickles), at most client_body_timeout between two reads of a body, at most
    # send_timeout between two writes of an answer. scripts/fault-injection slow checks it.
    fastcgi_request_buffering on;
    fastcgi_buffering on;
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 10s;
    reset_timedout_connection on;

    error_page 413 = @too_large;
    error_page 500 = @internal;
    error_page 502 503 = @unavailable;
    error_page 504 = @timeout;

    error_page 403 = @forbidden;
    # Requests nginx refuses before any location (a malformed request line or header, a
    # path or header too long, TRACE, an unknown transfer coding, HTTP/2 in a request
    # line): JSON too, never its HTML page.
    # The request line may be unreadable here, so these go to internal paths: nginx
    # cannot redirect a request without a URI to a named location.
    error_page 400 494 /_augur_errors/400;
    error_page 404 = @not_found;
    error_page 405 = @method_not_allowed;
    error_page 411 /_augur_errors/411;
    error_page 414 /_augur_errors/414;
    error_page 501 /_augur_errors/501;
    error_page 505 /_augur_errors/505;

    # The POST routes of every dialect (PROTOCOLS.md): native /predict and /predict/NAME,
    # KServe V1 `:predict`, Open Inference `infer`, MLflow /invocations. Any other method
    # gets 405 with `Allow: POST` here, before the pool.
    location ~ ^/(predict(/[A-Za-z0-9._-]+)?|v1/models/[^/]+:predict|v2/models/[^/]+(/versions/[^/]+)?/infer)$ {
        if ($request_method != POST) {
            # `always`, or nginx drops the header on a 4xx; limit_except would answer 403.
            add_header Allow "POST" always;
            return 405 '{"error": "method $request_method is not allowed; use POST", "code": "method_not_allowed"}\n';
        }
        include augur-upstream.conf;
    }

    # MLflow's errors have their own shape, nginx's own answers included.
    location = /invocations {
        if ($request_method != POST) {
            add_header Allow "POST" always;
            return 405 '{"error_code": "BAD_REQUEST", "message": "method $request_method is not allowed; use POST"}\n';
        }
        include augur-upstream.conf;
    }

    # Read-only routes: model lists, status and metadata, health, versions, the OpenAPI
    # document. The pool answers them (and a 405 with `Allow` for a method they lack).
    location ~ ^/(v1/models(/[^/]+)?|v2(/.*)?|ping|health|version|openapi\.json)$ {
        include augur-upstream.conf;
    }

    # Prometheus metrics, summed over the pool's workers: local scrapers only.
    location = /metrics {
        allow 127.0.0.1;
        allow ::1;
        deny all;
        include augur-upstream.conf;
    }

    # Anything else. The path is not echoed: it is client text of any length and would need
    # JSON escaping.
    location / {
        return 404 '{"error": "no route for this path; POST to /predict, or GET /openapi.json", "code": "not_found"}\n';
    }

    # nginx's own 404 (a direct request for an internal path) in the shape of the one above.
    location @not_found {
        return 404 '{"error": "no route for this path; POST to /predict, or GET /openapi.json", "code": "not_found"}\n';
    }

    location @forbidden {
        return 403 '{"error": "this route answers local addresses only", "code": "forbidden"}\n';
    }

    location @method_not_allowed {
        add_header Allow $augur_allowed_methods always;
        if ($uri = /invocations) {
            return 405 '{"error_code": "BAD_REQUEST", "message": "method $request_method is not allowed; use POST"}\n';
        }
        return 405 '{"error": "method $request_method is not allowed; use $augur_allowed_methods", "code": "method_not_allowed"}\n';
    }

    location = /_augur_errors/400 {
        internal;
        return 400 '{"error": "the HTTP request is malformed (request line, headers or body framing)", "code": "bad_request"}\n';
    }

    location = /_augur_errors/411 {
        internal;
        return 411 '{"error": "send a Content-Length with the body", "code": "length_required"}\n';
    }

    location = /_augur_errors/414 {
        internal;
        return 414 '{"error": "the request path is too long", "code": "uri_too_long"}\n';
    }

    location = /_augur_errors/501 {
        internal;
        return 501 '{"error": "the request uses a transfer coding nginx does not take; send the body plain or chunked", "code": "not_implemented"}\n';
    }

    location = /_augur_errors/505 {
        internal;
        return 505 '{"error": "the HTTP version is not supported", "code": "http_version_not_supported"}\n';
    }

    location @too_large {
        if ($uri = /invocations) {
            return 413 '{"error_code": "BAD_REQUEST", "message": "request body is larger than the limit of 67108864 bytes"}\n';
        }
        return 413 '{"error": "request body is larger than the limit of 67108864 bytes", "code": "body_too_large"}\n';
    }

    location @internal {
        if ($uri = /invocations) {
            return 500 '{"error_code": "INTERNAL_ERROR", "message": "internal error in the front end"}\n';
        }
        return 500 '{"error": "internal error in the front end", "code": "internal_error"}\n';
    }

    location @unavailable {
        if ($uri = /invocations) {
            return 502 '{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "the model server is unavailable"}\n';
        }
        return 502 '{"error": "the model server is unavailable", "code": "upstream_unavailable"}\n';
    }

    location @timeout {
        if ($uri = /invocations) {
            return 504 '{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "the model server did not answer in time"}\n';
        }
        return 504 '{"error": "the model server did not answer in time", "code": "upstream_timeout"}\n';
    }
}
"""#

    /// nginx/augur-upstream.conf
    static let upstreamConf = #"""
# How every pool route is forwarded; included by each location of augur.conf that reaches
# the pool.
include fastcgi_params;
fastcgi_param REQUEST_ID $request_id;
fastcgi_pass augur_pool;
fastcgi_keep_conn on;
# Longer than `augur serve --request-timeout` (30 s by default), so that a request past the
# worker's deadline gets the worker's JSON 503 naming the limit, not nginx's 504.
fastcgi_read_timeout 60s;

# A worker that stops (SIGTERM, reload) closes its kept connections, and nginx may have
# just sent a request on one: nginx then answers 502 for a POST unless told it may resend
# it. Predictions and reads have no side effects, so resending once is safe.
fastcgi_next_upstream error timeout non_idempotent;
fastcgi_next_upstream_tries 2;
"""#

    /// nginx/fastcgi_params
    static let fastcgiParams = #"""
# FastCGI parameters nginx sends with every request to the Augur pool, written out here so
# the repository does not depend on /etc/nginx. Augur reads REQUEST_METHOD, DOCUMENT_URI
# (falling back to REQUEST_URI), CONTENT_TYPE, CONTENT_LENGTH and REQUEST_ID; the rest is
# the usual CGI set, for logs and for handlers that want it.

fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;

fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REQUEST_SCHEME     $scheme;
fastcgi_param  HTTPS              $https if_not_empty;
fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx;

fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $server_name;
"""#
}
