package io.parley.local.tools.flowtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The demo flows' conversation tests ({@code flows/demo-shop*.test.yaml}) pass: CI runs them with the build. */
class DemoShopFlowTestsTest {

    @Test
    void everyDemoConversationTestPasses() {
        passes("flows/demo-shop.test.yaml");
    }

    @Test
    void everyPreferenceConversationTestPasses() {
        passes("flows/demo-shop-preferences.test.yaml");
    }

    private static void passes(String tests) {
        FlowTestSuite suite = FlowTestSuite.read(FlowSource.classpath(tests), null);

        FlowTestResult.Suite results = new FlowTestRunner(Clock.systemUTC()).run(suite);

        assertThat(results.results()).hasSize(suite.tests().size()).isNotEmpty();
        assertThat(results.results()).allSatisfy(result -> assertThat(result.failure())
                .as(result.name() + result.failure().map(f -> "\n" + f.where() + "\n" + f.diff()).orElse("")).isEmpty());
    }
}
