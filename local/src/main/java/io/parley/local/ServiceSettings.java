package io.parley.local;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How local mode runs the processor and the worker.
 *
 * @param processorAdminPort preferred port of the processor's admin endpoint on 127.0.0.1 (a free one
 *     when it is taken; 0 always picks a free one)
 * @param workerAdminPort the same for the worker's admin endpoint
 * @param pseudonymizeAudit whether user ids in the audit stream are replaced by a keyed hash
 * @param environment where {@value #ADMIN_TOKEN_VARIABLE} and {@value #AUDIT_KEY_VARIABLE} are looked up
 *     (the process environment; tests pass their own)
 */
public record ServiceSettings(int processorAdminPort, int workerAdminPort, boolean pseudonymizeAudit,
                              Map<String, String> environment) {

    /** Environment variable with the session lookup's bearer token; without it each run makes a new one. */
    public static final String ADMIN_TOKEN_VARIABLE = "PARLEY_ADMIN_TOKEN";
    /** Environment variable with the audit pseudonym key; without it one is made once and kept in the data folder. */
    public static final String AUDIT_KEY_VARIABLE = "PARLEY_AUDIT_KEY";
    /** The processor's admin port unless told otherwise (docker-compose publishes the same). */
    public static final int DEFAULT_PROCESSOR_ADMIN_PORT = 9100;
    /** The worker's admin port unless told otherwise. */
    public static final int DEFAULT_WORKER_ADMIN_PORT = 9101;
    /**
     * How long the worker lets calls in flight finish when local mode stops: short, because a
     * person pressing Ctrl-C waits for it, and an unfinished request is simply asked again.
     */
    public static final Duration WORKER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

    public ServiceSettings {
        requirePort("processor admin port", processorAdminPort);
        requirePort("worker admin port", workerAdminPort);
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** Free admin ports, plain audit, nothing from the environment: for embedding local mode, e.g. in tests. */
    public static ServiceSettings ephemeral() {
        return new ServiceSettings(0, 0, false, Map.of());
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("The " + what + " must be between 0 and 65535: " + port);
        }
    }
}
