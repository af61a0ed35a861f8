-- wrk script for bench_disclosure.py: prints the 95th percentile (wrk's --latency shows 50/75/90/99) and,
-- with WRK_RATE set, paces each of WRK_CONNECTIONS connections so that together they offer about WRK_RATE
-- requests/s (a think time before each request; wrk times a request from its sending, not the wait).
local rate = tonumber(os.getenv("WRK_RATE") or "0")
local connections = tonumber(os.getenv("WRK_CONNECTIONS") or "50")

if rate > 0 then
  function delay()
    return math.floor(1000 * connections / rate)
  end
end

function done(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
  io.write(string.format("p99_us %d\n", latency:percentile(99)))
  io.write(string.format("p50_us %d\n", latency:percentile(50)))
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors %d\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
