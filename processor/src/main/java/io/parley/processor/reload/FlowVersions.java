package io.parley.processor.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.flow.FlowCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow versions a processor serves: the newest, which new turns start on, and the few before it,
 * which turns in flight finish on. Immutable snapshots behind an atomic reference, so a stream thread
 * sees one consistent set for a whole record while the topic reader switches versions.
 *
 * <p>A version is a {@link FlowCatalog} already loaded and checked; {@link #offer} runs the processor's
 * own checks (for example that the reference tables are the ones the topology reads) and refuses a
 * version that fails them: a WARN line naming the version and the problem, the metric
 * {@code parley.flows.versions{outcome=refused}}, and the active version stays.
 */
public final class FlowVersions {

    private static final Logger LOG = LoggerFactory.getLogger(FlowVersions.class);

    /** The default number of versions kept (the newest and the ones before it). */
    public static final int DEFAULT_KEEP = 5;

    private final AtomicReference<Snapshot> current;
    private final int keep;
    private final List<Consumer<FlowCatalog>> checks;
    private final MeterRegistry meters;

    private FlowVersions(Snapshot initial, int keep, List<Consumer<FlowCatalog>> checks, MeterRegistry meters) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one version: " + keep);
        }
        this.current = new AtomicReference<>(initial);
        this.keep = keep;
        this.checks = List.copyOf(checks);
        this.meters = meters;
    }

    /** One version only, never changing: flows from files. */
    public static FlowVersions fixed(FlowCatalog flows) {
        return new FlowVersions(Snapshot.EMPTY.with(flows, 1), 1, List.of(), new SimpleMeterRegistry());
    }

    /**
     * Versions that change; empty until the first is offered.
     *
     * @param keep how many versions are kept (the newest included); a turn on an older one finishes on the newest
     * @param checks the processor's checks of a version, each throwing an exception whose message says what is wrong
     */
    public static FlowVersions changing(int keep, List<Consumer<FlowCatalog>> checks, MeterRegistry meters) {
        return new FlowVersions(Snapshot.EMPTY, keep, checks, meters);
    }

    /** What became of an offered version. */
    public enum Outcome {
        /** It is now the newest. */
        APPLIED,
        /** It already was the newest. */
        UNCHANGED,
        /** It failed a check; the active version stays. */
        REFUSED
    }

    /**
     * Makes a checked version the newest, unless it fails the processor's checks. A version kept already
     * (a rollback to one of the last few) becomes the newest again.
     */
    public Outcome offer(FlowCatalog flows) {
        Objects.requireNonNull(flows, "flows");
        Optional<FlowCatalog> newest = newest();
        if (newest.isPresent() && newest.get().version().equals(flows.version())) {
            return count(Outcome.UNCHANGED);
        }
        for (Consumer<FlowCatalog> check : checks) {
            try {
                check.accept(flows);
            } catch (RuntimeException e) {
                return refuse(flows.version(), e.getMessage());
            }
        }
        current.updateAndGet(snapshot -> snapshot.with(flows, keep));
        LOG.info("Flows {} are active for new turns (was {})", flows.version(), newest.map(FlowCatalog::version).orElse("none"));
        return count(Outcome.APPLIED);
    }

    /** Records a version refused before it could be loaded (it did not pass the flow checks): logged and counted. */
    public Outcome refuse(String version, String problem) {
        LOG.warn("Flows {} refused, {} stay active: {}", version, newest().map(FlowCatalog::version).orElse("none"), problem);
        return count(Outcome.REFUSED);
    }

    private Outcome count(Outcome outcome) {
        Counter.builder("parley.flows.versions").description("Flow versions offered to the processor, by outcome")
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(meters).increment();
        return outcome;
    }

    /** The version new turns start on; empty before the first. */
    public Optional<FlowCatalog> newest() {
        return Optional.ofNullable(current.get().newest);
    }

    /** A kept version by its name ({@link FlowCatalog#version()}). */
    public Optional<FlowCatalog> find(String version) {
        return version == null ? Optional.empty() : Optional.ofNullable(current.get().byVersion.get(version));
    }

    /** The kept versions' names, oldest first. */
    public List<String> kept() {
        return List.copyOf(current.get().byVersion.keySet());
    }

    /** An immutable set of versions, in the order they became newest (the newest last). */
    private record Snapshot(Map<String, FlowCatalog> byVersion, FlowCatalog newest) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), null);

        Snapshot with(FlowCatalog flows, int keep) {
            LinkedHashMap<String, FlowCatalog> versions = new LinkedHashMap<>(byVersion);
            // Removed first so a rolled-back version moves to the end, as the newest.
            versions.remove(flows.version());
            versions.put(flows.version(), flows);
            List<String> names = new ArrayList<>(versions.keySet());
            for (int i = 0; i < names.size() - keep; i++) {
                versions.remove(names.get(i));
            }
            return new Snapshot(java.util.Collections.unmodifiableMap(versions), flows);
        }
    }
}
