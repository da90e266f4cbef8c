package io.parley.bench.kafka;

import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topics of one scenario in one run: Parley's topic set with every name prefixed by
 * {@code bench.<run>.<scenario>.}, so scenarios never read each other's records and a run on
 * an external cluster never touches existing topics.
 */
public final class ScenarioTopics {

    private final String name;
    private final TopicNames names;
    private final Topics topics;

    public ScenarioTopics(String runId, String scenarioId, Map<String, ?> serdeConfig) {
        this.name = "bench." + runId + "." + scenarioId.toLowerCase(java.util.Locale.ROOT);
        String prefix = name + ".";
        Map<String, String> prefixed = new LinkedHashMap<>();
        TopicNames.defaults().asMap().forEach((key, name) -> prefixed.put(key, prefix + name));
        this.names = TopicNames.fromMap(prefixed);
        this.topics = Topics.create(names, serdeConfig);
    }

    /** {@code bench.<run>.<scenario>}: the prefix of the topic names, unique in the run and the cluster. */
    public String name() {
        return name;
    }

    public TopicNames names() {
        return names;
    }

    public Topics topics() {
        return topics;
    }

    /** Every topic of the set, to create and delete together. */
    public List<String> all() {
        return List.copyOf(names.asMap().values());
    }
}
