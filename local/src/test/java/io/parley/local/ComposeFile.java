package io.parley.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml and the deploy folder, read from the module folder Maven runs tests in. */
final class ComposeFile {

    static final Path ROOT = Path.of("..");
    static final Path DEPLOY = ROOT.resolve("deploy");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern KAFKA_INIT_TOPICS = Pattern.compile("for topic in ([^;]+);");
    private static final Pattern KAFKA_INIT_SINGLE_TOPIC = Pattern.compile("--create\\b[^\\n]*?--topic ([a-z][a-z0-9._-]*)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile read() {
        try {
            return new ComposeFile(YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The service's environment as written (values may hold ${VAR:-default}). */
    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        service(service).path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        return environment;
    }

    /** Host-side bindings of the service, like {@code 127.0.0.1:9100:9100}. */
    List<String> ports(String service) {
        List<String> ports = new ArrayList<>();
        service(service).path("ports").forEach(port -> ports.add(port.asText()));
        return ports;
    }

    /** The topics deploy/kafka-init.sh creates. */
    static List<String> kafkaInitTopics() throws IOException {
        String script = Files.readString(DEPLOY.resolve("kafka-init.sh")).replace("\\\n", " ");
        Matcher matcher = KAFKA_INIT_TOPICS.matcher(script);
        if (!matcher.find()) {
            throw new AssertionError("deploy/kafka-init.sh has no 'for topic in ...;' loop any more");
        }
        List<String> topics = new ArrayList<>(List.of(matcher.group(1).trim().split("\\s+")));
        // and the topics created one by one, with settings of their own (parley.flows: one partition, compacted)
        Matcher single = KAFKA_INIT_SINGLE_TOPIC.matcher(script);
        while (single.find()) {
            topics.add(single.group(1));
        }
        return topics;
    }

    /** The environment variables a deploy file reads through {@code ${env:NAME}}. */
    static List<String> envReferences(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        Matcher matcher = ENV_REFERENCE.matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
