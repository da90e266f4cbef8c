package io.parley.worker.redis;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;

import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.connector.TextTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One operation of a {@code redis} connector: a command with its key and arguments as
 * {@code {name}} templates over the request's parameters. Values are always sent as arguments of
 * the command, never spliced into a command or a script.
 *
 * @param name the name requests use
 * @param command what it does
 * @param key the key template (for scripts: the first of {@code keys})
 * @param field the hash field ({@code hget})
 * @param value the value ({@code set})
 * @param fields field name → value template ({@code hset})
 * @param by the increment ({@code incrby}, default 1)
 * @param start first rank ({@code zrange}, default 0)
 * @param stop last rank ({@code zrange}, default -1: the end)
 * @param reverse ranks from the highest score ({@code zrange})
 * @param withScores members with their scores ({@code zrange})
 * @param ttl time to live set by a write
 * @param script the Lua script ({@code script})
 * @param keys key templates passed as {@code KEYS} ({@code script})
 * @param args argument templates passed as {@code ARGV} ({@code script})
 * @param writes whether the operation changes data, so that it is applied once per request id
 * @param response how the result is mapped
 * @param cacheTtl how long OK answers are cached (reads only)
 */
public record RedisOperationDefinition(String name, RedisCommand command, Optional<TextTemplate> key,
                                       Optional<TextTemplate> field, Optional<TextTemplate> value,
                                       Map<String, TextTemplate> fields, TextTemplate by, TextTemplate start,
                                       TextTemplate stop, boolean reverse, boolean withScores, Optional<Duration> ttl,
                                       Optional<String> script, List<TextTemplate> keys, List<TextTemplate> args,
                                       boolean writes, ResponseMapping response, Optional<Duration> cacheTtl) implements OperationDefinition {

    public static final String COMMAND = "command";
    public static final String KEY = "key";
    public static final String FIELD = "field";
    public static final String VALUE = "value";
    public static final String FIELDS = "fields";
    public static final String BY = "by";
    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String REVERSE = "reverse";
    public static final String WITH_SCORES = "withScores";
    public static final String TTL = "ttl";
    public static final String SCRIPT = "script";
    public static final String KEYS = "keys";
    public static final String ARGS = "args";
    public static final String WRITES = "writes";
    public static final String RESPONSE = "response";
    public static final String CACHE_TTL = OperationDefinition.CACHE_TTL;

    /** The keys each command accepts besides {@code command}, {@code response} and {@code cacheTtl}. */
    private static final Map<RedisCommand, List<String>> KEYS_BY_COMMAND = Map.of(
            RedisCommand.GET, List.of(KEY),
            RedisCommand.HGET, List.of(KEY, FIELD),
            RedisCommand.HGETALL, List.of(KEY),
            RedisCommand.ZRANGE, List.of(KEY, START, STOP, REVERSE, WITH_SCORES),
            RedisCommand.SET, List.of(KEY, VALUE, TTL),
            RedisCommand.HSET, List.of(KEY, FIELDS, TTL),
            RedisCommand.INCRBY, List.of(KEY, BY, TTL),
            RedisCommand.SCRIPT, List.of(SCRIPT, KEYS, ARGS, WRITES));

    /** The longest script accepted: scripts are small read-modify-write steps, not programs. */
    static final int MAX_SCRIPT_LENGTH = 10_000;

    public static RedisOperationDefinition from(String name, ConfigSection operation) {
        RedisCommand command = operation.enumValue(COMMAND, RedisCommand.class)
                .orElseThrow(() -> operation.error(COMMAND, "is required; one of get, hget, hgetall, zrange, set, hset, incrby, script"));
        List<String> allowed = new ArrayList<>(KEYS_BY_COMMAND.get(command));
        allowed.addAll(List.of(COMMAND, RESPONSE, CACHE_TTL));
        operation.allowOnly(allowed.toArray(String[]::new));

        boolean writes = command == RedisCommand.SCRIPT ? operation.bool(WRITES, true) : command.write();
        Optional<Duration> cacheTtl = OperationDefinition.cacheTtl(operation, !writes, "only reads may be cached, not writes");
        Optional<String> script = Optional.empty();
        List<TextTemplate> keys = List.of();
        Optional<TextTemplate> key = Optional.empty();
        if (command == RedisCommand.SCRIPT) {
            String text = operation.requiredString(SCRIPT);
            if (text.length() > MAX_SCRIPT_LENGTH) {
                throw operation.error(SCRIPT, "is longer than " + MAX_SCRIPT_LENGTH + " characters");
            }
            script = Optional.of(text);
            keys = templates(operation, KEYS);
            if (keys.isEmpty()) {
                throw operation.error(KEYS, "a script names at least one key (Redis routes and replicates by key)");
            }
        } else {
            key = Optional.of(template(operation, KEY, operation.requiredString(KEY)));
        }
        Map<String, TextTemplate> fields = new LinkedHashMap<>();
        if (command == RedisCommand.HSET) {
            ConfigSection section = operation.requiredObject(FIELDS);
            section.keys().forEach(field -> fields.put(field, template(section, field, section.requiredString(field))));
            if (fields.isEmpty()) {
                throw operation.error(FIELDS, "names at least one field to set");
            }
        }
        return new RedisOperationDefinition(name, command, key,
                command == RedisCommand.HGET ? Optional.of(template(operation, FIELD, operation.requiredString(FIELD))) : Optional.empty(),
                command == RedisCommand.SET ? Optional.of(template(operation, VALUE, operation.requiredString(VALUE))) : Optional.empty(),
                Map.copyOf(fields),
                template(operation, BY, operation.string(BY).orElse("1")),
                template(operation, START, operation.string(START).orElse("0")),
                template(operation, STOP, operation.string(STOP).orElse("-1")),
                operation.bool(REVERSE, false), operation.bool(WITH_SCORES, false),
                positive(operation, TTL), script, keys, templates(operation, ARGS), writes,
                ResponseMapping.from(operation.object(RESPONSE)), cacheTtl);
    }

    /** The names of the parameters the operation reads. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        key.ifPresent(template -> names.addAll(template.parameters()));
        field.ifPresent(template -> names.addAll(template.parameters()));
        value.ifPresent(template -> names.addAll(template.parameters()));
        fields.values().forEach(template -> names.addAll(template.parameters()));
        keys.forEach(template -> names.addAll(template.parameters()));
        args.forEach(template -> names.addAll(template.parameters()));
        if (command == RedisCommand.INCRBY) {
            names.addAll(by.parameters());
        }
        if (command == RedisCommand.ZRANGE) {
            names.addAll(start.parameters());
            names.addAll(stop.parameters());
        }
        return names;
    }

    private static Optional<Duration> positive(ConfigSection operation, String key) {
        Optional<Duration> duration = operation.duration(key);
        if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero() || duration.get().toMillis() == 0)) {
            throw operation.error(key, "must be at least 1ms");
        }
        return duration;
    }

    private static List<TextTemplate> templates(ConfigSection operation, String key) {
        List<TextTemplate> templates = new ArrayList<>();
        for (String text : operation.stringList(key)) {
            templates.add(template(operation, key, text));
        }
        return List.copyOf(templates);
    }

    private static TextTemplate template(ConfigSection node, String key, String text) {
        try {
            return TextTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw node.error(key, e.getMessage());
        }
    }
}
