package io.parley.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.parley.architecture.ParleyClasses.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which module may use which: the processor/worker split and the production modules' independence. */
class ModuleBoundariesTest {

    @Test
    void theClassesOfEveryProductionModuleAreSeen() {
        // Given the classes the rules check
        // When the rules below run
        // Then each production module contributed classes (a rule over nothing would pass for nothing)
        for (String module : List.of("io.parley.runtime", "io.parley.processor", "io.parley.worker", "io.parley.gateway",
                "io.parley.bridge", "io.parley.analytics", "io.parley.schemas", "io.parley.topics", "io.parley.local",
                "io.parley.mcp", "io.parley.demo")) {
            assertThat(ParleyClasses.all().stream().anyMatch(c -> c.getPackageName().startsWith(module)))
                    .as(module).isTrue();
        }
    }

    @Test
    void theProcessorNeverUsesTheWorker() {
        ArchRule rule = noClasses().that().resideInAPackage(PROCESSOR)
                .should().dependOnClassesThat().resideInAPackage(WORKER)
                .because("the processor and the connectors worker are separate services that talk only through Kafka "
                        + "topics; either scales and restarts without the other");
        rule.check(ParleyClasses.all());
    }

    @Test
    void theWorkerNeverUsesTheProcessor() {
        ArchRule rule = noClasses().that().resideInAPackage(WORKER)
                .should().dependOnClassesThat().resideInAPackage(PROCESSOR)
                .because("the processor and the connectors worker are separate services that talk only through Kafka "
                        + "topics; either scales and restarts without the other");
        rule.check(ParleyClasses.all());
    }

    @Test
    void onlyTheSchemasCrossTheProcessorWorkerBoundary() {
        // The processor and the worker share nothing of Parley but the schemas (records, topic names, serdes)
        // and the runtime plumbing (configuration, admin endpoint, tracing): no gateway, bridge, analytics,
        // local mode or test infrastructure.
        List<String> forbidden = List.of(GATEWAY, BRIDGE, ANALYTICS, MCP, LOCAL, BENCH, E2E, DEMO, EMBEDDED_KAFKA,
                EMBEDDED_REGISTRY);
        for (String side : List.of(PROCESSOR, WORKER)) {
            ArchRule rule = noClasses().that().resideInAPackage(side)
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("what crosses the processor/worker boundary is defined once in the schemas module "
                            + "(Avro records, topic names, serdes); anything else shared belongs in runtime");
            rule.check(ParleyClasses.all());
        }
    }

    @Test
    void productionModulesNeverUseLocalModeTheBenchTheEndToEndTestsOrTheDemo() {
        ArchRule rule = noClasses().that().resideInAnyPackage(PRODUCTION)
                .should().dependOnClassesThat().resideInAnyPackage(LOCAL, BENCH, E2E, DEMO, EMBEDDED_KAFKA,
                        EMBEDDED_REGISTRY)
                .because("local mode, the bench, the end-to-end tests, the demo shop and the embedded broker/registry "
                        + "are tools around Parley; a production service must run without them on its classpath");
        rule.check(ParleyClasses.all());
    }

    @Test
    void theDemoUsesNeitherTheProcessorNorTheWorker() {
        ArchRule rule = noClasses().that().resideInAPackage(DEMO)
                .should().dependOnClassesThat().resideInAnyPackage(PROCESSOR, WORKER, GATEWAY, LOCAL)
                .because("the processor's tests load the demo flows with the demo module at test scope: a demo that "
                        + "used the services would make a dependency cycle; the demo holds data and the shop's own code");
        rule.check(ParleyClasses.all());
    }

    @Test
    void theSchemasAndTheRuntimeUseNoServiceModule() {
        List<String> lower = new ArrayList<>(List.of(SCHEMAS));
        lower.add(RUNTIME);
        ArchRule rule = noClasses().that().resideInAnyPackage(lower.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(PROCESSOR, WORKER, GATEWAY, BRIDGE, ANALYTICS, MCP, LOCAL)
                .because("schemas and runtime are the shared foundation every service builds on; they cannot know "
                        + "the services");
        rule.check(ParleyClasses.all());
    }
}
