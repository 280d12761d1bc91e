-- wrk script: warm synchronous invocations of one gate through POST /invoke.
-- Environment: FAASTEN_TOKEN (bearer token), FAASTEN_GATE (gate path), FAASTEN_LABEL (optional payload label),
-- FAASTEN_PAUSE_MS (optional: each connection waits this long before its next request).
local token = os.getenv("FAASTEN_TOKEN") or error("FAASTEN_TOKEN is not set")
local gate = os.getenv("FAASTEN_GATE") or "home:<T,bench>:noop"

wrk.method = "POST"
wrk.path = "/invoke"
local label = os.getenv("FAASTEN_LABEL")  -- optional payload label, e.g. "T,T"
wrk.body = '{"path":"' .. gate .. '","payload":{}' .. (label and (',"label":"' .. label .. '"') or "") .. '}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

local pause = tonumber(os.getenv("FAASTEN_PAUSE_MS") or "")
if pause then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
