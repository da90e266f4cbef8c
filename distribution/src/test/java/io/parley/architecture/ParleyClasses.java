package io.parley.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * The production classes of every Parley module, as the architecture rules see them. The
 * distribution module depends on all of them (the bridge with test scope), so they are on this
 * module's test classpath; test classes and test jars (runtime's {@code -tests.jar}) are left out.
 */
final class ParleyClasses {

    /** Module packages, for the rules. */
    static final String RUNTIME = "io.parley.runtime..";
    static final String PROCESSOR = "io.parley.processor..";
    static final String WORKER = "io.parley.worker..";
    static final String GATEWAY = "io.parley.gateway..";
    static final String BRIDGE = "io.parley.bridge..";
    static final String ANALYTICS = "io.parley.analytics..";
    static final String LOCAL = "io.parley.local..";
    static final String BENCH = "io.parley.bench..";
    static final String E2E = "io.parley.e2e..";
    static final String DEMO = "io.parley.demo..";
    static final String EMBEDDED_KAFKA = "io.parley.kafka.embedded..";
    static final String EMBEDDED_REGISTRY = "io.parley.registry.embedded..";
    /** The schemas module: the Avro records ({@code io.parley.schemas}), topic names and serdes. */
    static final String[] SCHEMAS = {"io.parley.schemas..", "io.parley.topics..", "io.parley.serde.."};

    /** The modules that run in production (not local mode, the bench, the end-to-end tests or the demo). */
    static final String[] PRODUCTION = {RUNTIME, PROCESSOR, WORKER, GATEWAY, BRIDGE, ANALYTICS,
            "io.parley.schemas..", "io.parley.topics..", "io.parley.serde.."};

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ParleyClasses::notATestJar)
            .importPackages("io.parley");

    private ParleyClasses() {
    }

    static JavaClasses all() {
        return ALL;
    }

    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar") && !location.contains("/distribution/target/");
    }
}
