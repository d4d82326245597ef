"""Class mode's store for several replicas: every replica talks to one Redis, so a class is the same class
whichever replica a student's browser is stuck to. Chosen by BASIN_REDIS_URL (classmode/config.py); needs
redis-py, listed in requirements-deploy.txt (the app's own requirements do not include it).

Keys (all under `prefix`, default "basin:"; every key of a class expires with the class, but `ended:`):

    {prefix}class:{code}                      hash: token_hash, created_at, expires_at, phase, question_no,
                                              question_id, settings (JSON), choices (JSON list)
    {prefix}class:{code}:students             hash: student id -> nickname ("" for none)
    {prefix}class:{code}:answers:{n}          hash: student id -> choice, for question number n
    {prefix}class:{code}:submissions:{n}      hash: student id -> how many times they answered question n
    {prefix}class:{code}:revealed             hash: n -> students in the class when question n was revealed
    {prefix}ended:{code}                      the class's expiry, kept ENDED_CODE_KEPT_S longer than the class's
                                              own keys, so old links read "has ended" (as with SQLite) and no new
                                              class gets the code (nothing else: no students or answers)
    {prefix}open                              sorted set: open classes by expiry (for the class limit)
    {prefix}expiry                            sorted set: every class by expiry (for cleanup)

Each change is one Lua script, which Redis runs alone: the checks and the write cannot be split by another
client, so 60 students answering at once are each counted once. Reads of several keys go in one MULTI.
A single Redis (or a primary with replicas), not Redis Cluster: the scripts touch keys of several slots.
"""

from __future__ import annotations

import json

import redis

from classmode.model import ENDED_CODE_KEPT_S, ClassState, Question
from classmode.store import ClassStore, tally_from_answers

# Shared by the scripts: KEYS[1] is the class hash; returns the class's fields, or nil and a status word.
_OPEN_CLASS = """
local function open_class(key, now)
  local c = redis.call('HMGET', key, 'phase', 'expires_at', 'question_no', 'choices')
  if not c[1] then return nil, 'unknown' end
  if c[1] == 'closed' or tonumber(c[2]) <= tonumber(now) then return nil, 'ended' end
  return c
end
"""

# KEYS: open, expiry, class, ended.  ARGV: code, token_hash, now, expires_at, max_classes, ttl_ms, ended_ttl_ms
_CREATE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 'full' end
if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('EXISTS', KEYS[4]) == 1 then return 'taken' end
redis.call('HSET', KEYS[3], 'token_hash', ARGV[2], 'created_at', ARGV[3], 'expires_at', ARGV[4],
           'phase', 'waiting', 'question_no', 0)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[7])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 'ok'
"""

# KEYS: class, students.  ARGV: student_id, nickname, now, max_students
_JOIN = _OPEN_CLASS + """
local c, status = open_class(KEYS[1], ARGV[3])
if not c then return status end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return 'full' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
return 'ok'
"""

# KEYS: class, students, revealed.  ARGV: student_id
_LEAVE = """
redis.call('HDEL', KEYS[2], ARGV[1])
local no = tonumber(redis.call('HGET', KEYS[1], 'question_no') or '0')
for n = 1, no do
  if redis.call('HEXISTS', KEYS[3], n) == 0 then   -- a revealed question's answers stay as they were counted
    redis.call('HDEL', KEYS[1] .. ':answers:' .. n, ARGV[1])
    redis.call('HDEL', KEYS[1] .. ':submissions:' .. n, ARGV[1])
  end
end
return 'ok'
"""

# KEYS: class.  ARGV: now, question_id, settings, choices
_ASK = _OPEN_CLASS + """
local c, status = open_class(KEYS[1], ARGV[1])
if not c then return {status, 0} end
local no = redis.call('HINCRBY', KEYS[1], 'question_no', 1)
redis.call('HSET', KEYS[1], 'phase', 'asking', 'question_id', ARGV[2], 'settings', ARGV[3],
           'choices', ARGV[4])
return {'ok', no}
"""

# KEYS: class, students, answers:{n}, submissions:{n}.  ARGV: student_id, n, choice, now, max_submissions
_ANSWER = _OPEN_CLASS + """
local c, status = open_class(KEYS[1], ARGV[4])
if not c then return status end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 'unknown_student' end
if c[1] == 'waiting' then return 'waiting' end
if tonumber(c[3]) ~= tonumber(ARGV[2]) then return 'moved_on' end
if c[1] == 'revealed' then return 'revealed' end
local known = false
for _, choice in ipairs(cjson.decode(c[4])) do
  if choice == ARGV[3] then known = true end
end
if not known then return 'unknown_choice' end
local before = redis.call('HGET', KEYS[3], ARGV[1])
if before == ARGV[3] then return 'same' end
local submissions = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0')
if before and submissions >= tonumber(ARGV[5]) then return 'limit' end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[3], ttl)
redis.call('PEXPIRE', KEYS[4], ttl)
return 'ok'
"""

# KEYS: class, students, revealed.  ARGV: now
_REVEAL = _OPEN_CLASS + """
local c, status = open_class(KEYS[1], ARGV[1])
if not c then return status end
if c[1] == 'waiting' then return 'no_question' end
redis.call('HSET', KEYS[1], 'phase', 'revealed')
if redis.call('HSETNX', KEYS[3], c[3], redis.call('HLEN', KEYS[2])) == 1 then
  redis.call('PEXPIRE', KEYS[3], redis.call('PTTL', KEYS[1]))
end
return 'ok'
"""

# KEYS: class, open.  ARGV: code, now
_CLOSE = """
local c = redis.call('HMGET', KEYS[1], 'phase', 'expires_at')
if not c[1] then return 'unknown' end
if tonumber(c[2]) <= tonumber(ARGV[2]) then return 'ended' end
redis.call('HSET', KEYS[1], 'phase', 'closed')
redis.call('ZREM', KEYS[2], ARGV[1])
return 'ok'
"""

_FIELDS = ("phase", "question_no", "question_id", "settings", "choices", "created_at", "expires_at")


class RedisStore(ClassStore):
    """The store in the Redis at `url` (e.g. redis://basin-redis:6379/0), under key `prefix`. Other
    parameters as for ClassStore."""

    def __init__(self, url: str, prefix: str = "basin:", **limits):
        super().__init__(**limits)
        self.prefix = prefix
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                          socket_connect_timeout=5, health_check_interval=30)
        self._scripts = {name: self.redis.register_script(body) for name, body in (
            ("create", _CREATE), ("join", _JOIN), ("leave", _LEAVE), ("ask", _ASK), ("answer", _ANSWER),
            ("reveal", _REVEAL), ("close", _CLOSE))}

    def __repr__(self):
        return f"RedisStore(prefix={self.prefix!r})"   # the URL may hold a password

    def _key(self, code: str, *rest) -> str:
        return ":".join((f"{self.prefix}class:{code}", *map(str, rest)))

    def _ended_key(self, code: str) -> str:
        return f"{self.prefix}ended:{code}"

    def _ended_gone(self, code):
        # Redis forgets the key by itself; comparing its time with the store's clock (a test's) rules as SQLite
        # does. "1": a key written before it held the expiry (Redis drops those within hours).
        ended_at = self.redis.get(self._ended_key(code))
        return ended_at is not None and (ended_at == "1" or float(ended_at) + ENDED_CODE_KEPT_S > self.clock())

    # ---------- ClassStore's hooks ----------

    def _create(self, code, token_hash, now, expires_at):
        ttl_ms = max(1, int((expires_at - now) * 1000))
        return self._scripts["create"](
            keys=[self.prefix + "open", self.prefix + "expiry", self._key(code), self._ended_key(code)],
            args=[code, token_hash, repr(now), repr(expires_at), self.max_classes, ttl_ms,
                  ttl_ms + int(ENDED_CODE_KEPT_S * 1000)])

    def _token_hash(self, code):
        return self.redis.hget(self._key(code), "token_hash")

    def _state(self, code):
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hmget(self._key(code), _FIELDS)
            pipe.hlen(self._key(code, "students"))
            fields, students = pipe.execute()
        if fields[0] is None:
            return None
        phase, question_no, question_id, settings, choices, created_at, expires_at = fields
        question = Question.from_stored(question_id, settings, choices) if int(question_no) else None
        return ClassState(code, phase, int(question_no), question, students, float(created_at),
                          float(expires_at))

    def _join(self, code, student_id, nickname, now):
        return self._scripts["join"](keys=[self._key(code), self._key(code, "students")],
                                     args=[student_id, nickname or "", repr(now), self.max_students])

    def _leave(self, code, student_id):
        self._scripts["leave"](keys=[self._key(code), self._key(code, "students"), self._key(code, "revealed")],
                               args=[student_id])

    def _student(self, code, student_id):
        nickname = self.redis.hget(self._key(code, "students"), student_id)
        return (nickname is not None, nickname or None)

    def _ask(self, code, question, now):
        status, question_no = self._scripts["ask"](
            keys=[self._key(code)],
            args=[repr(now), question.question_id, question.settings_json(), json.dumps(question.choices)])
        return status, int(question_no)

    def _answer(self, code, student_id, question_no, choice, now, max_submissions):
        return self._scripts["answer"](
            keys=[self._key(code), self._key(code, "students"), self._key(code, "answers", question_no),
                  self._key(code, "submissions", question_no)],
            args=[student_id, question_no, choice, repr(now), max_submissions])

    def _answer_of(self, code, student_id, question_no):
        return self.redis.hget(self._key(code, "answers", question_no), student_id)

    def _tally(self, code):
        for _ in range(10):
            question_no = self.redis.hget(self._key(code), "question_no")
            if question_no is None:
                return None
            with self.redis.pipeline(transaction=True) as pipe:   # MULTI: one consistent read
                pipe.hmget(self._key(code), _FIELDS)
                pipe.hvals(self._key(code, "answers", question_no))
                pipe.hlen(self._key(code, "students"))
                pipe.hget(self._key(code, "revealed"), question_no)
                fields, made, students, at_reveal = pipe.execute()
            if fields[0] is None:
                return None
            if fields[1] == question_no:   # no new question came between the two reads
                phase, _, question_id, settings, choices = fields[:5]
                number = int(question_no)
                question = Question.from_stored(question_id, settings, choices) if number else None
                return tally_from_answers(code, number, phase, question, made,
                                          students if at_reveal is None else int(at_reveal))
        raise RuntimeError("the question kept changing while counting")   # ten new questions in a row: a bug

    def _reveal(self, code, now):
        return self._scripts["reveal"](
            keys=[self._key(code), self._key(code, "students"), self._key(code, "revealed")], args=[repr(now)])

    def _close(self, code, now):
        return self._scripts["close"](keys=[self._key(code), self.prefix + "open"], args=[code, repr(now)])

    def _cleanup(self, now):
        # Redis already drops the keys of an expired class (their TTL); this also tidies the two indexes,
        # and deletes classes whose expiry the store's clock has passed first. The `ended:` key stays: it
        # remembers the code (Redis drops it ENDED_CODE_KEPT_S after the class's expiry).
        gone = self.redis.zrangebyscore(self.prefix + "expiry", "-inf", now)
        for code in gone:
            question_no = int(self.redis.hget(self._key(code), "question_no") or 0)
            keys = [self._key(code), self._key(code, "students"), self._key(code, "revealed")]
            for n in range(1, question_no + 1):
                keys += [self._key(code, "answers", n), self._key(code, "submissions", n)]
            with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(*keys)
                pipe.zrem(self.prefix + "open", code)
                pipe.zrem(self.prefix + "expiry", code)
                pipe.execute()
        return len(gone)
