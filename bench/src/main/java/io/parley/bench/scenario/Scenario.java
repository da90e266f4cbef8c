package io.parley.bench.scenario;

import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import java.util.List;
import java.util.Map;

/** One benchmark scenario: sets up what it measures, offers load, reports lines. */
public interface Scenario {

    /** Short id such as "S1" or "S2-eos"; also part of the scenario's topic names. */
    String id();

    /** What it measures, for the table. */
    String title();

    /** The settings that shape its figures, known before it runs. */
    Map<String, Object> configuration(ScenarioContext context);

    /** Its report lines with their targets, without values: shown as they are when it cannot run. */
    List<Measurement> planned(ScenarioContext context);

    /** Runs it. An exception makes it a failed scenario; the run goes on with the next. */
    ScenarioResult run(ScenarioContext context) throws Exception;
}
