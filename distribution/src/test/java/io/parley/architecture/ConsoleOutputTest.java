package io.parley.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Where a class may write to the terminal. */
class ConsoleOutputTest {

    /**
     * The command-line tools, which talk to a person at a terminal: the processor's and the worker's
     * commands ({@code parley flows ...}, {@code parley connectors ...}), the OpenAPI import command, and
     * local mode (the {@code parley} CLI, its chat console, its tools).
     */
    static final String[] CLI_PACKAGES = {"io.parley.processor.cli..", "io.parley.worker.cli..",
            "io.parley.worker.openapi..", "io.parley.local.."};

    @Test
    void onlyCommandLineToolsAndMainClassesWriteToStandardOutput() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages(CLI_PACKAGES)
                .and().haveSimpleNameNotEndingWith("Main")
                .should().accessField(System.class, "out")
                .because("services report through the log (levels, structured, shipped to the log store) and metrics; "
                        + "standard output is for the command-line tools and the one start line of a main class");
        rule.check(ParleyClasses.all());
    }
}
