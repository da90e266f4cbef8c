package io.parley.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * The production classes of every Parley module, as the architecture rules see them. The
 * distribution module depends on all of them (the bridge and mcp with test scope), so they are on this
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
    static final String MCP = "io.parley.mcp..";
    static final String BENCH = "io.parley.bench..";
    static final String E2E = "io.parley.e2e..";
    static final String DEMO = "io.parley.demo..";
    static final String EMBEDDED_KAFKA = "io.parley.kafka.embedded..";
    static final String EMBEDDED_REGISTRY = "io.parley.registry.embedded..";
    /** The schemas module: the Avro records ({@code io.parley.schemas}), topic names and serdes. */
    static final String[] SCHEMAS = {"io.parley.schemas..", "io.parley.topics..", "io.parley.serde.."};

    /** The modules that run in production (not local mode, the bench, the end-to-end tests or the demo). */
    static final String[] PRODUCTION = {RUNTIME, PROCESSOR, WORKER, GATEWAY, BRIDGE, ANALYTICS, MCP,
            "io.parley.schemas..", "io.parley.topics..", "io.parley.serde.."};

    /** One class of each module: its jar (or classes folder) is what is imported. */
    private static final List<String> ONE_CLASS_PER_MODULE = List.of("io.parley.runtime.Durations",
            "io.parley.topics.TopicNames", "io.parley.processor.config.ProcessorConfig", "io.parley.worker.WorkerConfig",
            "io.parley.gateway.GatewayConfig", "io.parley.bridge.BridgeConfig", "io.parley.analytics.AnalyticsMain",
            "io.parley.local.LocalMode", "io.parley.mcp.McpSettings", "io.parley.demo.DemoShopSql", "io.parley.kafka.embedded.EmbeddedKafkaCluster",
            "io.parley.registry.embedded.EmbeddedSchemaRegistry");

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ParleyClasses::notATestJar)
            .importUrls(moduleLocations());

    private ParleyClasses() {
    }

    static JavaClasses all() {
        return ALL;
    }

    /** Only the modules' own jars or folders: scanning the whole classpath takes most of a minute. */
    private static List<URL> moduleLocations() {
        List<URL> urls = new ArrayList<>();
        for (String name : ONE_CLASS_PER_MODULE) {
            try {
                urls.add(Class.forName(name, false, ParleyClasses.class.getClassLoader())
                        .getProtectionDomain().getCodeSource().getLocation());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is not on the test classpath of distribution", e);
            }
        }
        return urls;
    }

    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar") && !location.contains("/distribution/target/");
    }
}
