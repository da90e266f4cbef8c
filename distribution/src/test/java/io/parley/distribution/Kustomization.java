package io.parley.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the few features
 * deploy/k8s uses: {@code resources} (files and kustomization folders), {@code patches} as RFC 6902
 * JSON patches with a {@code target} kind and name, and {@code namespace}. Anything else in a
 * kustomization.yaml is refused, so a new feature in the manifests fails the tests until it is
 * rendered here too (and checked against kubectl by {@code KubernetesManifestsTest}).
 */
final class Kustomization {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("apiVersion", "kind", "resources", "patches", "namespace");

    private Kustomization() {
    }

    static List<ObjectNode> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        JsonNode kustomization = readOne(file);
        kustomization.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": " + key + " is not rendered by this test's Kustomization");
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(readAll(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            Path patchFile = directory.resolve(patch.path("path").asText());
            String kind = patch.path("target").path("kind").asText();
            String name = patch.path("target").path("name").asText();
            List<ObjectNode> targets = objects.stream().filter(object -> object.path("kind").asText().equals(kind)
                    && object.path("metadata").path("name").asText().equals(name)).toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(file + ": patch " + patchFile.getFileName() + " targets no " + kind + " " + name);
            }
            JsonNode operations = readOne(patchFile);
            targets.forEach(target -> JsonPatch.apply(target, operations, patchFile.toString()));
        }
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            objects.forEach(object -> ((ObjectNode) object.path("metadata")).put("namespace", namespace));
        }
        return objects;
    }

    private static JsonNode readOne(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static List<ObjectNode> readAll(Path file) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject()) {
                    objects.add((ObjectNode) document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return objects;
    }

    /** RFC 6902 add, replace and remove, with RFC 6901 pointers ({@code -} appends to an array). */
    static final class JsonPatch {

        private JsonPatch() {
        }

        static void apply(ObjectNode target, JsonNode operations, String source) {
            for (JsonNode operation : operations) {
                String op = operation.path("op").asText();
                List<String> path = pointer(operation.path("path").asText());
                JsonNode parent = target;
                for (String token : path.subList(0, path.size() - 1)) {
                    parent = parent.isArray() ? parent.path(Integer.parseInt(token)) : parent.path(token);
                    if (parent.isMissingNode()) {
                        throw new IllegalArgumentException(source + ": " + operation.path("path").asText() + " does not exist");
                    }
                }
                String last = path.get(path.size() - 1);
                switch (op) {
                    case "add" -> add(parent, last, operation.get("value"), source);
                    case "replace" -> {
                        remove(parent, last, source + " " + operation.path("path").asText());
                        add(parent, last, operation.get("value"), source);
                    }
                    case "remove" -> remove(parent, last, source + " " + operation.path("path").asText());
                    default -> throw new IllegalArgumentException(source + ": op " + op + " is not rendered by this test");
                }
            }
        }

        private static void add(JsonNode parent, String token, JsonNode value, String source) {
            if (parent instanceof ArrayNode array) {
                if (token.equals("-")) {
                    array.add(value.deepCopy());
                } else {
                    array.insert(Integer.parseInt(token), value.deepCopy());
                }
            } else if (parent instanceof ObjectNode object) {
                object.set(token, value.deepCopy());
            } else {
                throw new IllegalArgumentException(source + ": cannot add " + token + " to a value");
            }
        }

        private static void remove(JsonNode parent, String token, String where) {
            JsonNode removed = parent instanceof ArrayNode array ? array.remove(Integer.parseInt(token))
                    : parent instanceof ObjectNode object ? object.remove(token) : null;
            if (removed == null) {
                throw new IllegalArgumentException(where + ": nothing to replace or remove");
            }
        }

        private static List<String> pointer(String pointer) {
            List<String> tokens = new ArrayList<>();
            Iterator<String> parts = List.of(pointer.substring(1).split("/", -1)).iterator();
            parts.forEachRemaining(part -> tokens.add(part.replace("~1", "/").replace("~0", "~")));
            return tokens;
        }
    }
}
