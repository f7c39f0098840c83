-- wrk script of `npm run bench:peer`: POSTs one GraphQL request body (the file named by the first script
-- argument) on every connection and counts, per thread, the answers that are not HTTP 200 and the 200s whose
-- body carries GraphQL "errors". done() prints one line `RESULT {json}` that bench/peer.ts parses, and for each
-- thread that saw one, its first failed answer as `FAILURE <status> <start of the body>`.
-- Headers (content type, authorisation, purpose) come from wrk's -H options.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  non200 = 0
  errorBodies = 0
  firstFailure = nil
end

local function remember(status, body)
  if firstFailure == nil then
    firstFailure = status .. " " .. string.gsub(string.sub(body or "", 1, 300), "[\r\n]", " ")
  end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    remember(status, body)
  elseif string.find(body, '"errors"', 1, true) then
    errorBodies = errorBodies + 1
    remember(status, body)
  end
end

function done(summary, latency, requests)
  local non200Total, errorBodiesTotal = 0, 0
  for _, thread in ipairs(threads) do
    non200Total = non200Total + thread:get("non200")
    errorBodiesTotal = errorBodiesTotal + thread:get("errorBodies")
    local failure = thread:get("firstFailure")
    if failure ~= nil then
      io.write("FAILURE " .. failure .. "\n")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"non200":%d,"errorBodies":%d,' ..
      '"socketErrors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), non200Total,
    errorBodiesTotal, e.connect + e.read + e.write, e.timeout))
end
