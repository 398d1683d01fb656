// The Lua scripts of the store. Each runs atomically in Redis, so an append, a replay read or a
// head sees one consistent state of the stream: no other instance's write lands in the middle.
//
// The store's epoch is the name of a consumer group on the stream. A group lives inside the stream
// key: `FLUSHALL`, `DEL`, an eviction of the key or a restart without persistence remove both, and
// the next command sees that the epoch it knows is gone. The group is never read through, so its
// last-delivered ID stays where it was made: the epoch's start (it costs a few bytes and no
// pending-entries list). Entry IDs are `0-<seq>`, assigned by Redis (`XADD 0-*`, Redis 7.0 and
// later): the sequence part grows by exactly one per append, so IDs compare, replay is a range read
// and a gap is visible.

/**
 * `epochOf(key)`: the stream's epoch (group name) and its start (the sequence number of the last
 * entry before it), or false when it has none.
 * `checked(key, epoch, seen, fresh)`: the same, after the check for a rewound stream: when the
 * stream is still in `epoch` but its newest entry is older than `seen` (the newest sequence number
 * the calling instance saw in it), Redis came back with older data (an RDB snapshot, AOF `everysec`
 * after a crash, a failover to a lagging replica), and new appends would reuse the sequence numbers
 * of lost events. What is left becomes epoch `fresh`, starting at that newest entry, so every
 * client past it is told `epoch-changed` instead of missing events silently.
 */
const EPOCH_OF = `
local function seqOf(id)
  return tonumber(string.match(id, '%d+$'))
end

-- Only a group that can be ours is the epoch: a name of epoch characters, never read through (no
-- consumer, nothing pending). A group another program made on the key to read it is not.
local function epochOf(key)
  local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', key)
  if not ok then return false end
  for _, group in ipairs(groups) do
    local name, start, readers = false, 0, 0
    for i = 1, #group, 2 do
      local field, value = group[i], group[i + 1]
      if field == 'name' then name = value end
      if field == 'last-delivered-id' then start = seqOf(value) end
      if field == 'consumers' or field == 'pending' then readers = readers + value end
    end
    if name and readers == 0 and #name <= 64 and string.match(name, '^[%w_]+$') then return name, start end
  end
  return false
end

-- The newest entry of ours: entry IDs '0-<seq>'. An entry another program added with a time part
-- ('XADD <key> * ...') sorts after all of them, and is not one.
local function newestSeq(key)
  local newest = redis.call('XREVRANGE', key, '0', '-', 'COUNT', 1)
  return newest[1] and seqOf(newest[1][1]) or 0
end

local function checked(key, epoch, seen, fresh)
  local current, start = epochOf(key)
  if current ~= epoch then return current, start end
  local newest = newestSeq(key)
  if newest >= tonumber(seen) then return current, start end
  redis.call('XGROUP', 'DESTROY', key, epoch)
  redis.call('XGROUP', 'CREATE', key, fresh, '0-' .. newest)
  return fresh, newest
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
 * ARGV[4] channels, ARGV[5] body, ARGV[6] the newest sequence number seen, ARGV[7] a fresh epoch.
 * The new entry's ID, or false when the epoch is not (or no longer) the stream's.
 */
export const APPEND_SCRIPT = `${EPOCH_OF}
if checked(KEYS[1], ARGV[1], ARGV[6], ARGV[7]) ~= ARGV[1] then return false end
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if top and string.sub(top[1], 1, 2) ~= '0-' then
  return redis.error_reply('the stream holds entry ' .. top[1] .. ', which this store did not write, after its own: no entry can be appended after it (delete the key, or give the store a key of its own)')
end
if top and seqOf(top[1]) >= 9007199254740991 then
  return redis.error_reply('the stream has used up its sequence numbers (an entry another program wrote at 0-2^53 or past it)')
end
if ARGV[3] == '0' then
  return redis.call('XADD', KEYS[1], '0-*', 'e', ARGV[1], 'c', ARGV[4], 'b', ARGV[5])
end
return redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], ARGV[3], '0-*', 'e', ARGV[1], 'c', ARGV[4], 'b', ARGV[5])
`;

/**
 * KEYS[1] stream; ARGV[1] epoch, ARGV[2] the sequence number to read after, ARGV[3] page size,
 * ARGV[4] the newest sequence number seen, ARGV[5] a fresh epoch.
 * { 'ok', newest ID, oldest ID, entries after ARGV[2], the epoch's start } or
 * { 'epoch', the stream's epoch or '' }.
 */
export const READ_SCRIPT = `${EPOCH_OF}
local epoch, start = checked(KEYS[1], ARGV[1], ARGV[4], ARGV[5])
if epoch ~= ARGV[1] then return { 'epoch', epoch or '' } end
local newest = redis.call('XREVRANGE', KEYS[1], '0', '-', 'COUNT', 1)
local oldest = redis.call('XRANGE', KEYS[1], '-', '0', 'COUNT', 1)
local entries = {}
-- Entries are read only when the oldest one still continues ARGV[2]: a resume from a trimmed ID
-- is answered without sending a page that would be thrown away.
local continues = oldest[1] and seqOf(oldest[1][1]) <= tonumber(ARGV[2]) + 1
if ARGV[3] ~= '0' and continues then
  entries = redis.call('XRANGE', KEYS[1], '(0-' .. ARGV[2], '0', 'COUNT', ARGV[3])
end
return { 'ok', newest[1] and newest[1][1] or '0-0', oldest[1] and oldest[1][1] or '', entries, tostring(start) }
`;
