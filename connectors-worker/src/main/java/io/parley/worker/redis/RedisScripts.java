package io.parley.worker.redis;

/**
 * The Lua that runs Redis writes, so that each is applied once per request id: the write and the
 * record of its request id (the inbox key) change together, atomically, inside one script. A
 * second delivery of the same request finds the record and gets the first answer back without
 * touching the data. Every script returns its result as JSON text.
 *
 * <p>The scripts are fixed text: a request's values only ever arrive as {@code KEYS} and
 * {@code ARGV}. A configured script's body becomes a local function whose parameters are named
 * {@code KEYS} and {@code ARGV}, so it reads its own keys and arguments as written.
 */
final class RedisScripts {

    /** Runs {@code body(keys, args)} unless the request id in KEYS[1] was applied; ARGV[1] is the inbox TTL in ms. */
    private static final String ONCE = """
            local applied = redis.call('GET', KEYS[1])
            if applied then
              return applied
            end
            local keys = {}
            for i = 2, #KEYS do keys[i - 1] = KEYS[i] end
            local args = {}
            for i = 2, #ARGV do args[i - 1] = ARGV[i] end
            local encoded = cjson.encode(body(keys, args))
            redis.call('SET', KEYS[1], encoded, 'PX', ARGV[1])
            return encoded
            """;

    /** Runs {@code body(KEYS, ARGV)} once, for scripts that only read. */
    private static final String READ = "return cjson.encode(body(KEYS, ARGV))\n";

    /** ARGV: value, ttl in ms or '' */
    static final String SET = once("""
            if ARGV[2] ~= '' then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            else
              redis.call('SET', KEYS[1], ARGV[1])
            end
            return {ok = true}
            """);

    /** ARGV: ttl in ms or '', then field, value, field, value... */
    static final String HSET = once("""
            local added = redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            if ARGV[1] ~= '' then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return {added = added}
            """);

    /** ARGV: ttl in ms or '', increment */
    static final String INCRBY = once("""
            local value = redis.call('INCRBY', KEYS[1], ARGV[2])
            if ARGV[1] ~= '' then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return {value = value}
            """);

    private RedisScripts() {
    }

    /** A configured script that writes: applied once per request id. */
    static String once(String body) {
        return function(body) + ONCE;
    }

    /** A configured script that only reads. */
    static String read(String body) {
        return function(body) + READ;
    }

    private static String function(String body) {
        // The configured body refers to KEYS and ARGV; as parameter names they are the call's own.
        return "local function body(KEYS, ARGV)\n" + body + "\nend\n";
    }
}
