package io.parley.worker.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.DriverCall;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.DefinedOperation;
import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.connector.TextTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A Redis operation ready to call. Reads answer JSON built from the reply; writes run as one Lua
 * script with the record of their request id ({@link RedisScripts}), so a redelivered request gets
 * the first answer and changes nothing.
 */
final class RedisOperation extends DefinedOperation<RedisOperationDefinition> {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final UnaryOperator<String> AS_IS = UnaryOperator.identity();

    private final UnifiedJedis redis;
    private final String inboxPrefix;
    private final Duration inboxTtl;
    private final long maxResponseBytes;

    RedisOperation(RedisOperationDefinition definition, UnifiedJedis redis, String inboxPrefix, Duration inboxTtl,
                   long maxResponseBytes) {
        super(definition);
        this.redis = redis;
        this.inboxPrefix = inboxPrefix;
        this.inboxTtl = inboxTtl;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        DriverCall call = switch (definition.command()) {
            case GET -> get(key(params));
            case HGET -> hget(key(params), definition.field().orElseThrow().render(params, AS_IS));
            case HGETALL -> hgetAll(key(params));
            case ZRANGE -> zrange(key(params), integer("start", definition.start(), params),
                    integer("stop", definition.stop(), params));
            case SET -> once(RedisScripts.SET, List.of(key(params)),
                    List.of(definition.value().orElseThrow().render(params, AS_IS), ttl()), requestId);
            case HSET -> once(RedisScripts.HSET, List.of(key(params)), hashArguments(params), requestId);
            case INCRBY -> once(RedisScripts.INCRBY, List.of(key(params)),
                    List.of(ttl(), Long.toString(integer("by", definition.by(), params))), requestId);
            case SCRIPT -> script(params, requestId);
        };
        return call.classifiedBy(RedisFailures::classify);
    }

    private DriverCall get(String key) {
        return context -> {
            String value = redis.get(key);
            return value == null ? notFound("the key does not exist") : mapped(JSON.objectNode().put("value", value));
        };
    }

    private DriverCall hget(String key, String field) {
        return context -> {
            String value = redis.hget(key, field);
            return value == null ? notFound("the hash field does not exist") : mapped(JSON.objectNode().put("value", value));
        };
    }

    private DriverCall hgetAll(String key) {
        return context -> {
            Map<String, String> hash = redis.hgetAll(key);
            if (hash.isEmpty()) {
                return notFound("the hash does not exist");
            }
            ObjectNode fields = JSON.objectNode();
            // Sorted, so the same hash always gives the same answer (cache, idempotent replies).
            new TreeMap<>(hash).forEach(fields::put);
            return mapped(fields);
        };
    }

    private DriverCall zrange(String key, long start, long stop) {
        return context -> {
            ArrayNode members = JSON.arrayNode();
            if (definition.withScores()) {
                List<Tuple> tuples = definition.reverse() ? redis.zrevrangeWithScores(key, start, stop)
                        : redis.zrangeWithScores(key, start, stop);
                tuples.forEach(tuple -> members.addObject().put("member", tuple.getElement()).put("score", tuple.getScore()));
            } else {
                (definition.reverse() ? redis.zrevrange(key, start, stop) : redis.zrange(key, start, stop)).forEach(members::add);
            }
            return mapped(members);
        };
    }

    private DriverCall script(Map<String, String> params, String requestId) throws InvalidRequestException {
        List<String> keys = new ArrayList<>();
        for (TextTemplate template : definition.keys()) {
            keys.add(RedisKey.check(template.render(params, AS_IS)));
        }
        List<String> args = new ArrayList<>();
        for (TextTemplate template : definition.args()) {
            args.add(template.render(params, AS_IS));
        }
        String body = definition.script().orElseThrow();
        if (definition.writes()) {
            return once(RedisScripts.once(body), keys, args, requestId);
        }
        String script = RedisScripts.read(body);
        return context -> json(redis.eval(script, keys, args));
    }

    /** A write: the script runs with the request's inbox key first and the inbox TTL first among the arguments. */
    private DriverCall once(String script, List<String> keys, List<String> args, String requestId) {
        List<String> allKeys = new ArrayList<>(keys.size() + 1);
        allKeys.add(inboxPrefix + requestId);
        allKeys.addAll(keys);
        List<String> allArgs = new ArrayList<>(args.size() + 1);
        allArgs.add(Long.toString(inboxTtl.toMillis()));
        allArgs.addAll(args);
        return context -> json(redis.eval(script, allKeys, allArgs));
    }

    private List<String> hashArguments(Map<String, String> params) throws InvalidRequestException {
        List<String> args = new ArrayList<>();
        args.add(ttl());
        for (Map.Entry<String, TextTemplate> field : new TreeMap<>(definition.fields()).entrySet()) {
            args.add(field.getKey());
            args.add(field.getValue().render(params, AS_IS));
        }
        return args;
    }

    private String ttl() {
        return definition.ttl().map(ttl -> Long.toString(ttl.toMillis())).orElse("");
    }

    private String key(Map<String, String> params) throws InvalidRequestException {
        return RedisKey.check(definition.key().orElseThrow().render(params, AS_IS));
    }

    private static long integer(String what, TextTemplate template, Map<String, String> params) throws InvalidRequestException {
        String text = template.render(params, AS_IS);
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'" + what + "' is not a whole number");
        }
    }

    private AttemptOutcome json(Object reply) {
        if (!(reply instanceof String text)) {
            return Failure.permanent(BackendStatus.SERVER_ERROR, "the script did not answer JSON text");
        }
        if (text.length() > maxResponseBytes) {
            return ResponseMapping.tooLarge(maxResponseBytes);
        }
        try {
            return mapped(JsonText.MAPPER.readTree(text));
        } catch (IOException e) {
            return Failure.permanent(BackendStatus.SERVER_ERROR, "the script did not answer JSON text");
        }
    }

    private AttemptOutcome mapped(JsonNode result) {
        return definition.response().applyWithin(result, maxResponseBytes);
    }

    private static AttemptOutcome notFound(String message) {
        return Failure.permanent(BackendStatus.NOT_FOUND, message);
    }
}
