-- wrk script for the cold mix: ask for each path in a file once, then end the run. Argument after `--`:
-- the file, one path a line. One thread. wrk waits out its --duration even when a thread stops, so the
-- last page's answer sends wrk the SIGINT that ends a run early (the report is then printed as usual).
local ffi = require("ffi")
ffi.cdef[[
int kill(int pid, int sig);
int getpid(void);
]]

local thread
function setup(one)
  thread = one
end

function init(args)
  -- wrk calls request() once more than it sends, to see whether requests are pipelined: that first
  -- call (sent = 0) gets the bare view, and the paths start with the first request sent.
  paths, sent, pages = {}, -1, 0
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end

function request()
  sent = sent + 1
  -- Once every path is sent, a connection still free asks for the bare view until the last page is in:
  -- cheap, and its answer ("alive") is not counted as a page.
  return wrk.format("GET", paths[sent] or "/livez")
end

function response(status, headers, body)
  if body ~= "alive\n" then pages = pages + 1 end
  if pages == #paths then ffi.C.kill(ffi.C.getpid(), 2) end
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"pages": %d, "requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, "p50_us": %d, "p95_us": %d}\n',
    thread:get("pages"), summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95)))
end
