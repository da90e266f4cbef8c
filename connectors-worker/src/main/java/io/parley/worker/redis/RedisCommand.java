package io.parley.worker.redis;

/** What a Redis operation does; written in lower case in connector files. */
public enum RedisCommand {
    /** A string value: {@code {"value": "..."}}, NOT_FOUND when the key does not exist. */
    GET(false),
    /** One field of a hash: {@code {"value": "..."}}, NOT_FOUND when the field does not exist. */
    HGET(false),
    /** A whole hash as an object of its fields, NOT_FOUND when the key does not exist. */
    HGETALL(false),
    /** A range of a sorted set by rank: an array of members, or of {@code {"member", "score"}} with scores. */
    ZRANGE(false),
    /** Sets a string value (with an optional time to live): {@code {"ok": true}}. */
    SET(true),
    /** Sets fields of a hash (with an optional time to live): {@code {"added": n}}. */
    HSET(true),
    /** Adds to an integer value: {@code {"value": n}} after the increment. */
    INCRBY(true),
    /** Runs a fixed Lua script with keys and arguments from parameters; its result, as JSON. */
    SCRIPT(false);

    private final boolean write;

    RedisCommand(boolean write) {
        this.write = write;
    }

    /** Whether the command changes data (and so is applied once per request id); scripts say so themselves. */
    public boolean write() {
        return write;
    }
}
