// The Lua scripts of the store. Each runs atomically in Redis, so an append, a replay read or a
// head sees one consistent state of the stream: no other instance's write lands in the middle.
//
// The store's epoch is the name of a consumer group on the stream. A group lives inside the stream
// key: `FLUSHALL`, `DEL`, an eviction of the key or a restart without persistence remove both, and
// the next command sees that the epoch it knows is gone. (The group is never read through: it costs
// a few bytes and no pending-entries list.) Entry IDs are `0-<seq>`, assigned by Redis (`XADD 0-*`,
// Redis 7.0 and later): the sequence part grows by exactly one per append, so IDs compare, replay
// is a range read and a gap is visible.

/** `epochOf(key)`: the epoch (group name) of the stream, or false when it has none. */
const EPOCH_OF = `
local function epochOf(key)
  local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', key)
  if not ok then return false end
  for _, group in ipairs(groups) do
    for i = 1, #group, 2 do
      if group[i] == 'name' then return group[i + 1] end
    end
  end
  return false
end
`;

/** KEYS[1] stream; ARGV[1] a fresh epoch. The stream's epoch: the existing one, else ARGV[1], made now. */
export const INIT_SCRIPT = `${EPOCH_OF}
local epoch = epochOf(KEYS[1])
if epoch then return epoch end
redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '$', 'MKSTREAM')
return ARGV[1]
`;

/**
 * KEYS[1] stream; ARGV[1] epoch, ARGV[2] trimming ('~' or '='), ARGV[3] max length (0: none),
 * ARGV[4] channels, ARGV[5] body. The new entry's ID, or false when the epoch is not the stream's.
 */
export const APPEND_SCRIPT = `${EPOCH_OF}
if epochOf(KEYS[1]) ~= ARGV[1] then return false end
if ARGV[3] == '0' then
  return redis.call('XADD', KEYS[1], '0-*', 'e', ARGV[1], 'c', ARGV[4], 'b', ARGV[5])
end
return redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], ARGV[3], '0-*', 'e', ARGV[1], 'c', ARGV[4], 'b', ARGV[5])
`;

/**
 * KEYS[1] stream; ARGV[1] epoch, ARGV[2] the sequence number to read after, ARGV[3] page size.
 * { 'ok', newest ID, oldest ID, entries after ARGV[2] } or { 'epoch', the stream's epoch or '' }.
 */
export const READ_SCRIPT = `${EPOCH_OF}
local epoch = epochOf(KEYS[1])
if epoch ~= ARGV[1] then return { 'epoch', epoch or '' } end
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local entries = {}
-- Entries are read only when the oldest one still continues ARGV[2]: a resume from a trimmed ID
-- is answered without sending a page that would be thrown away.
local continues = oldest[1] and tonumber(string.match(oldest[1][1], '%d+$')) <= tonumber(ARGV[2]) + 1
if ARGV[3] ~= '0' and continues then
  entries = redis.call('XRANGE', KEYS[1], '(0-' .. ARGV[2], '+', 'COUNT', ARGV[3])
end
return { 'ok', newest[1] and newest[1][1] or '0-0', oldest[1] and oldest[1][1] or '', entries }
`;
