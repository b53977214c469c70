-- wrk script for `cargo xtask bench ingest`: POSTs daily-health submissions with unique ids,
-- one per request (BATCH unset) or BATCH per request to the batch endpoint.
local batch = tonumber(os.getenv("BATCH") or "0")
local threads = 0
local run = os.time() % 0x10000

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  counter = 0
  prefix = string.format("%04x%04x", run, tid)
end

local body_start = '{"id":"'
-- Stamped now: the server refuses device times a day ahead or past retention.
local body_end = '","created_at_ms":' .. os.time() .. '000,"content":{"kind":"daily_health","body":{'
  .. '"person":{"profile_id":"00000000-0000-4000-8000-000000000007","full_name":"Nguyễn Văn An",'
  .. '"year_of_birth":1985,"phone":"0912345678"},"on_behalf":false,"consent_version":1,'
  .. '"answers":{"fever":false,"cough":true,"shortness_of_breath":false,"other_signs":""}}}}'
local headers = {
  ["Content-Type"] = "application/json",
  ["X-Tokhai-Device"] = "bench-device-key-0123456789abcdefghijklmnopq",
}

local function item()
  counter = counter + 1
  return body_start .. string.format("%s-0000-4000-8000-%012x", prefix, counter) .. body_end
end

function request()
  if batch > 0 then
    local items = {}
    for i = 1, batch do
      items[i] = item()
    end
    return wrk.format("POST", "/api/v1/submissions/batch", headers,
      '{"items":[' .. table.concat(items, ",") .. ']}')
  end
  return wrk.format("POST", "/api/v1/submissions", headers, item())
end

-- wrk counts answers outside 2xx/3xx; a benchmark of errors must not pass for throughput.
function done(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
