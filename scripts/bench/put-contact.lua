-- wrk: PUT a valid contact update, a different first name each time, and count
-- any answer that is not 200 (wrk's own "Non-2xx" line counts them too).
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"

local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"id": 101, "firstName": "Load ' .. n .. '", "metadata": {"run": "wrk"}}')
end
