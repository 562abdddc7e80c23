/**
 * The Lua script iobench hands to wrk (`-s`). It holds the run's requests as bytes iobench built
 * (the same bytes native sends): one request replaces `wrk.format`, from which wrk builds the
 * request it reuses on every connection; a list defines `request()`, which wrk then calls for
 * every request a thread sends — so wrk cycles the list per thread, not per connection. Its `done()`
 * writes wrk's own summary, the `response()` hook's counts (when there is one) and raw latency
 * buckets as JSON to the file named by the environment variable `IOBENCH_WRK_REPORT`, plus wrk's
 * getrusage (through LuaJIT's FFI) and /proc/self/stat line read after its threads have joined, so
 * iobench gets wrk's CPU time (user and system) and context switches, every thread's, from wrk itself.
 *
 * wrk's Lua API (src/script.c): `#latency` is the number of distinct recorded values and
 * `latency(i)` returns the i-th distinct value (microseconds) and its count, in ascending order.
 * wrk's latency stats are one counter per microsecond up to --timeout, and each `latency(i)` call
 * scans from the minimum, so reading all buckets that way costs distinct values x range: minutes
 * for a long run with a wide tail. wrk links LuaJIT, so the script reads the same counters through
 * the FFI in one pass instead, after checking the struct it sees agrees with what the Lua API says
 * (min, max, number of distinct values, first and last bucket); if not, it uses `latency(i)`.
 */

/** Environment variable carrying the report path into wrk's Lua `done()`. */
export const REPORT_PATH_ENV = 'IOBENCH_WRK_REPORT';

/**
 * Suffix of the file the script creates as soon as wrk loads it. wrk ignores SIGINT from before it
 * loads the script until its threads run, then handles it by stopping and reporting; before that
 * point SIGINT would kill it. So iobench sends SIGINT only once this file exists.
 */
export const STARTED_SUFFIX = '.started';

/** Percentiles of wrk's own (corrected) distribution copied into the report for cross-checks. */
export const WRK_PERCENTILES = { p50: 50, p90: 90, p99: 99, p99_9: 99.9 } as const;

export interface LuaScriptOptions {
  /** The requests as HTTP/1.1 bytes (`requestBytes`), in cycle order; none: wrk's own GET of its URL. */
  requests: readonly Uint8Array[];
  /**
   * Count responses delimited by connection close (see probe-framing.ts) in a `response()` hook.
   * Off by default: the hook makes wrk parse headers and call into Lua on every response.
   */
  countCloseDelimited?: boolean;
  /** Count responses by status code in the `response()` hook (the plugin's `statusCodes` option). */
  countStatusCodes?: boolean;
  /** How done() reads the buckets: 'auto' tries the FFI first; 'lua' forces `latency(i)` (tests). */
  bucketReader?: 'auto' | 'lua';
}

/**
 * Bucket readers. wrk 4's stats struct (src/stats.h): count, limit, min, max, then one uint64
 * counter per microsecond. The userdata wrk passes holds a pointer to it.
 */
const BUCKET_READERS = `
local function buckets_via_lua(latency)
  local out = {}
  for i = 1, #latency do
    local value, count = latency(i)
    out[#out + 1] = num(value) .. ',' .. num(count)
  end
  return out
end

local function buckets_via_ffi(latency)
  local ok, ffi = pcall(require, 'ffi')
  if not ok then return nil end
  local cast_ok, stats = pcall(function()
    ffi.cdef('typedef struct { uint64_t count; uint64_t limit; uint64_t min; uint64_t max; uint64_t data[?]; } iobench_wrk_stats;')
    return ffi.cast('iobench_wrk_stats **', latency)[0]
  end)
  if not cast_ok then return nil end
  local min, max = tonumber(stats.min), tonumber(stats.max)
  if min ~= latency.min or max ~= latency.max then return nil end
  local out, first_value, first_count, last_value, last_count = {}, nil, nil, nil, nil
  for value = min, max do
    local count = tonumber(stats.data[value])
    if count > 0 then
      out[#out + 1] = num(value) .. ',' .. num(count)
      if first_value == nil then first_value, first_count = value, count end
      last_value, last_count = value, count
    end
  end
  if #out ~= #latency then return nil end
  if #out > 0 then
    local v1, c1 = latency(1)
    local vn, cn = latency(#out)
    if v1 ~= first_value or c1 ~= first_count or vn ~= last_value or cn ~= last_count then return nil end
  end
  return out
end
`;

/**
 * The `response()` hook, when one is asked for: it counts, per wrk thread, responses by status code
 * and/or responses delimited by connection close; done() sums them through the thread handles
 * (`thread:get` copies a thread's table). Defining `response` at all makes wrk collect every
 * response's headers into Lua tables and call into Lua once per response, which costs wrk
 * throughput: so the hook exists only when a count needs it.
 */
function responseHook(options: LuaScriptOptions): string {
  if (!options.countCloseDelimited && !options.countStatusCodes) return '';
  const statusLine = options.countStatusCodes ? '  status_codes[status] = (status_codes[status] or 0) + 1\n' : '';
  const closeDelimited = options.countCloseDelimited
    ? `  if status < 200 or status == 204 or status == 304 then return end
  for name, _ in pairs(headers) do
    local lower = name:lower()
    if lower == 'content-length' or lower == 'transfer-encoding' then return end
  end
  close_delimited = close_delimited + 1
`
    : '';
  return `close_delimited = 0
status_codes = {}
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

response = function(status, headers, body)
${statusLine}${closeDelimited}end

-- The sum over threads of a counter (a number) or of a table of counters by key.
local function sum_threads(name)
  local total = nil
  for _, thread in ipairs(threads) do
    local value = thread:get(name)
    if type(value) == 'number' then
      total = (total or 0) + value
    elseif type(value) == 'table' then
      total = total or {}
      for k, n in pairs(value) do total[k] = (total[k] or 0) + n end
    end
  end
  return total
end
`;
}

/** `{"200":1204,"404":88}` from the summed status table, or `null` when codes were not counted. */
const STATUS_CODES_JSON = `
local function status_codes_json(codes)
  if codes == nil then return 'null' end
  local parts = {}
  for code, n in pairs(codes) do parts[#parts + 1] = '"' .. num(code) .. '":' .. num(n) end
  return '{' .. table.concat(parts, ',') .. '}'
end
`;

/** Lua source for one wrk run. */
export function buildLuaScript(options: LuaScriptOptions): string {
  const percentileFields = Object.entries(WRK_PERCENTILES)
    .map(([key, p]) => `'"${key}":' .. num(latency:percentile(${p}))`)
    .join(" .. ',' ..\n    ");
  return `-- Generated by @iobench/plugin-wrk for one run; removed afterwards.
${requestsLua(options.requests)}
do
  local started = io.open(os.getenv('${REPORT_PATH_ENV}') .. '${STARTED_SUFFIX}', 'w')
  if started then started:close() end
end
${responseHook(options)}
local function num(x) return string.format('%.0f', x) end
${STATUS_CODES_JSON}${BUCKET_READERS}
local function proc_stat()
  local f = io.open('/proc/self/stat', 'r')
  if not f then return '' end
  local line = f:read('*l') or ''
  f:close()
  return (line:gsub('[\\\\"]', ''))
end

-- getrusage(RUSAGE_SELF) as JSON, or null without the FFI. struct rusage on LP64 Linux: two
-- timevals, then fourteen longs, the last two the voluntary and involuntary context switches.
local function rusage_json()
  local ok, ffi = pcall(require, 'ffi')
  if not ok then return 'null' end
  local got, ru = pcall(function()
    ffi.cdef([[
      typedef struct { long sec; long usec; } iobench_timeval;
      typedef struct {
        iobench_timeval utime; iobench_timeval stime;
        long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
      } iobench_rusage;
      int getrusage(int who, iobench_rusage *usage);
    ]])
    local r = ffi.new('iobench_rusage')
    if ffi.C.getrusage(0, r) ~= 0 then error('getrusage failed') end
    return r
  end)
  if not got then return 'null' end
  local function us(tv) return tonumber(tv.sec) * 1000000 + tonumber(tv.usec) end
  return '{"userCpuUs":' .. num(us(ru.utime)) .. ',"systemCpuUs":' .. num(us(ru.stime)) ..
    ',"voluntaryCtxSwitches":' .. num(tonumber(ru.nvcsw)) ..
    ',"involuntaryCtxSwitches":' .. num(tonumber(ru.nivcsw)) .. '}'
end

done = function(summary, latency, requests)
  local reader = 'ffi'
  local buckets = ${options.bucketReader === 'lua' ? 'nil' : 'buckets_via_ffi(latency)'}
  if buckets == nil then
    reader = 'lua'
    buckets = buckets_via_lua(latency)
  end
  local e = summary.errors
  local json = '{"durationUs":' .. num(summary.duration) ..
    ',"requests":' .. num(summary.requests) ..
    ',"bytes":' .. num(summary.bytes) ..
    ',"errors":{"connect":' .. num(e.connect) .. ',"read":' .. num(e.read) ..
    ',"write":' .. num(e.write) .. ',"status":' .. num(e.status) ..
    ',"timeout":' .. num(e.timeout) .. '}' ..
    ',"closeDelimited":' .. ${options.countCloseDelimited ? "num(sum_threads('close_delimited') or 0)" : "'-1'"} ..
    ',"statusCodes":' .. ${options.countStatusCodes ? "status_codes_json(sum_threads('status_codes') or {})" : "'null'"} ..
    ',"percentiles":{' ..
    ${percentileFields} .. '}' ..
    ',"bucketReader":"' .. reader .. '"' ..
    ',"buckets":[' .. table.concat(buckets, ',') .. ']' ..
    ',"rusage":' .. rusage_json() ..
    ',"procStat":"' .. proc_stat() .. '"}'
  local path = os.getenv('${REPORT_PATH_ENV}')
  local tmp = path .. '.partial'
  local out = assert(io.open(tmp, 'w'))
  out:write(json)
  out:close()
  -- Renamed only once complete, so a killed wrk never leaves half a report behind.
  assert(os.rename(tmp, path))
end
`;
}

/**
 * The requests: one replaces `wrk.format` (wrk.init builds the static request every connection
 * reuses from it, and would otherwise add its own Host and headers); several are cycled by `request()`.
 */
function requestsLua(requests: readonly Uint8Array[]): string {
  if (requests.length === 0) return '';
  if (requests.length === 1) return `wrk.format = function() return ${luaString(requests[0]!)} end`;
  return `local requests = {\n${requests.map((r) => `  ${luaString(r)},`).join('\n')}\n}
local next_request = 0
request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end`;
}

/** A Lua string literal for a JS string (as UTF-8) or bytes (bytes outside printable ASCII as decimal escapes). */
export function luaString(value: string | Uint8Array): string {
  let out = '"';
  for (const byte of typeof value === 'string' ? Buffer.from(value, 'utf8') : value) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    // Three digits always, so a following digit is never read as part of the escape.
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}
