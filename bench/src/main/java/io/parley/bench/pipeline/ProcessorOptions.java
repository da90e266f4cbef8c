package io.parley.bench.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link FailoverPipeline}'s processors get besides the bench's own settings.
 *
 * @param kafka      settings added to each processor's {@code kafka:} section (after the bench's own)
 * @param protocol   the {@code membership.protocol}, {@code classic} or {@code streams} (under streams the session
 *                   and standbys become the streams group's configs, set by each processor at start)
 * @param jvmOptions options of every processor JVM (the first start and each restart) besides its heap, e.g.
 *                   {@code -XX:SharedArchiveFile=…} to measure a start with a class data sharing archive
 */
public record ProcessorOptions(Map<String, String> kafka, String protocol, List<String> jvmOptions) {

    /** The {@code membership.protocol} values a processor takes. */
    public static final Set<String> PROTOCOLS = Set.of("classic", "streams");

    public ProcessorOptions {
        kafka = Map.copyOf(kafka);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("membership protocol '" + protocol + "': classic or streams");
        }
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The bench's settings only, the classic protocol. */
    public static ProcessorOptions defaults() {
        return new ProcessorOptions(Map.of(), "classic", List.of());
    }

    boolean streamsProtocol() {
        return "streams".equals(protocol);
    }
}
