package io.parley.processor.flow;

import io.parley.runtime.config.ConfigSection;
import io.parley.schemas.FlowFile;
import io.parley.schemas.FlowSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * Published flow sets ({@link FlowSet}, topic {@code parley.flows}): made from flow files by
 * {@code parley flows publish}, read back into a {@link FlowCatalog} by the processor. The version a set
 * carries is {@code <name>@<files' version: values>+<fingerprint>}, so two publishes of the same
 * {@code version:} with different content are still told apart, and equal content has one version.
 */
public final class FlowSets {

    /** Hex digits of the fingerprint in a version name. */
    static final int SHORT_FINGERPRINT = 12;

    private FlowSets() {
    }

    /** A file of a set: its name and text. */
    public record File(String name, String content) {
    }

    /** Reads the files of sources (as given; nothing is checked here). */
    public static List<File> read(List<FlowSource> sources) {
        List<File> files = new ArrayList<>();
        for (FlowSource source : sources) {
            try (InputStream in = source.open()) {
                files.add(new File(fileName(source.label()), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new ConfigException(source.label() + ": cannot read the flow file (" + e.getMessage() + ")");
            }
        }
        return files;
    }

    /**
     * The record to publish for a set's files.
     *
     * @throws ConfigException when two files have the same name (the processor could not tell them apart in messages)
     */
    public static FlowSet of(String name, List<File> files, Optional<String> publisher, Optional<String> host, Instant at) {
        List<String> names = files.stream().map(File::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new ConfigException("flow set '" + name + "': two files have the same name " + names + "; rename one");
        }
        String fingerprint = fingerprint(files);
        String versions = files.stream().map(FlowSets::declaredVersion).distinct().collect(Collectors.joining(","));
        return FlowSet.newBuilder()
                .setName(name)
                .setVersion(name + "@" + versions + "+" + fingerprint.substring(0, SHORT_FINGERPRINT))
                .setFingerprint(fingerprint)
                .setFiles(files.stream().map(f -> FlowFile.newBuilder().setName(f.name()).setContent(f.content()).build()).toList())
                .setPublishedBy(publisher.orElse(null))
                .setPublishedFrom(host.orElse(null))
                .setPublishedAt(at)
                .build();
    }

    /** The files of a published set, as sources the {@link FlowLoader} reads (messages name {@code <set>/<file>}). */
    public static List<FlowSource> sources(FlowSet set) {
        return set.getFiles().stream()
                .map(file -> new FlowSource(set.getName() + "/" + file.getName(),
                        () -> new ByteArrayInputStream(file.getContent().getBytes(StandardCharsets.UTF_8))))
                .toList();
    }

    /**
     * Loads and checks a published set as the processor does at start, under the set's version name.
     *
     * @throws ConfigException naming the file, entry and field of the first problem, or a fingerprint that does not match
     */
    public static FlowCatalog load(FlowLoader loader, FlowSet set) {
        String expected = fingerprint(set.getFiles().stream().map(f -> new File(f.getName(), f.getContent())).toList());
        if (!expected.equals(set.getFingerprint())) {
            throw new ConfigException("flow set " + set.getVersion() + ": the fingerprint does not match the files (changed after publishing)");
        }
        return loader.load(sources(set)).withVersion(set.getVersion());
    }

    /** SHA-256 of the files' names and contents, in order (hex). */
    public static String fingerprint(List<File> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (File file : files) {
                for (String part : List.of(file.name(), file.content())) {
                    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                    // Length-prefixed, so no two different lists of files hash alike by moving text between them.
                    digest.update(java.nio.ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                    digest.update(bytes);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String declaredVersion(File file) {
        try {
            return ConfigSection.parse(file.name(), new ByteArrayInputStream(file.content().getBytes(StandardCharsets.UTF_8)))
                    .string("version", "1");
        } catch (RuntimeException e) {
            // The publisher validates first; a file that does not parse has no version to name.
            return "?";
        }
    }

    private static String fileName(String label) {
        String name = label.startsWith(FlowSource.CLASSPATH_PREFIX) ? label.substring(FlowSource.CLASSPATH_PREFIX.length()) : label;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
