-- Paced load for bench_backend.py: every connection sends one request, waits for the answer,
-- then waits `interval` ms; connections x 1000 / interval is the offered rate (wrk is closed-loop,
-- so the achieved rate is printed too). Paths come from a file, one per line, picked at random.
-- wrk -t1 -cN -dDs -s wrk_backend.lua URL -- INTERVAL_MS PATHS_FILE

local paths = {}
local interval = 100

function init(args)
  interval = tonumber(args[1])
  for line in io.lines(args[2]) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function delay()
  return interval
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d errors=%d seconds=%.3f p50=%.2f p99=%.2f max=%.2f\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
