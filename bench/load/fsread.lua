-- wrk script: GET /fs/file of one small file (the gateway and the monitor without a VM).
-- Environment: FAASTEN_TOKEN (bearer token), FAASTEN_FILE (percent-encoded path).
local token = os.getenv("FAASTEN_TOKEN") or error("FAASTEN_TOKEN is not set")
local file = os.getenv("FAASTEN_FILE") or "home%3A%3CT%2Cbench%3E%3Ahello"

wrk.method = "GET"
wrk.path = "/fs/file?path=" .. file
wrk.headers["Authorization"] = "Bearer " .. token

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
