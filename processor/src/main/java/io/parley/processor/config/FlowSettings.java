package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the processor's flows come from, when {@code flows:} is a section rather than a list of files.
 *
 * <ul>
 *   <li>{@code source}: {@code files} (the default, for simple set-ups: the {@code files} list, read at start)
 *       or {@code topic}: the newest valid version of the flow set {@code set} published to {@code topics.flows}
 *       ({@code parley flows publish}), switched to while running.</li>
 *   <li>{@code files}: the flow files (required with {@code files}).</li>
 *   <li>{@code set}: the flow set's name (required with {@code topic}).</li>
 *   <li>{@code wait} (default 30s, 1s to 10m): how long the start waits for a valid version on the topic.</li>
 *   <li>{@code keepVersions} (default 5, 1 to 100): versions kept for the turns in flight.</li>
 * </ul>
 */
public record FlowSettings(Source source, Optional<String> set, Duration maxWait, int keepVersions) {

    static final Duration MIN_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    /** Flow files, as a plain {@code flows:} list gives them. */
    public static final FlowSettings FILES = new FlowSettings(Source.FILES, Optional.empty(), Duration.ofSeconds(30), 5);

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("flows",
                    "Where flows come from (or a plain list of flow files, the same as source: files)")
            .key("source", "files | topic", "files", "files: the files below, read at start; topic: the newest valid version"
                    + " of the flow set published to topics.flows, switched to while running (docs/hotreload.md)")
            .key("files", "list of flow files", "", "paths relative to processor.yaml, or classpath:... (required with source: files)")
            .key("set", "string", "", "the published flow set's name (required with source: topic)")
            .key("wait", "duration", "30s", "how long the start waits for a valid version on the topic (1s to 10m)")
            .key("keepVersions", "integer", "5", "flow versions kept so that turns in flight finish on theirs (1 to 100)");

    /** Where flows come from. */
    public enum Source { FILES, TOPIC }

    public FlowSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(set, "set");
        if (source == Source.TOPIC && set.isEmpty()) {
            throw new IllegalArgumentException("flows from the topic need the set's name");
        }
    }

    /** Flows from the topic: the newest valid version of {@code set}. */
    public static FlowSettings topic(String set, Duration wait, int keepVersions) {
        return new FlowSettings(Source.TOPIC, Optional.of(set), wait, keepVersions);
    }

    public boolean fromTopic() {
        return source == Source.TOPIC;
    }

    /** Reads the section; the files are read by the caller ({@code files}). */
    static FlowSettings read(ConfigSection section) {
        Source source = section.enumValue("source", Source.class, Source.FILES);
        Optional<String> set = section.nonBlankString("set");
        Duration wait = section.duration("wait", FILES.maxWait());
        int keep = section.intValue("keepVersions", FILES.keepVersions(), 1, 100);
        section.allowOnly(KEYS);
        if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
            throw section.error("wait", wait + " is out of range; allowed are 1s to 10m");
        }
        if (source == Source.TOPIC && set.isEmpty()) {
            throw section.error("set", "is required with source: topic (the name given to 'parley flows publish --set')");
        }
        if (source == Source.FILES && section.stringList("files").isEmpty()) {
            throw section.error("files", "is required with source: files: list at least one flow file");
        }
        return new FlowSettings(source, set, wait, keep);
    }
}
