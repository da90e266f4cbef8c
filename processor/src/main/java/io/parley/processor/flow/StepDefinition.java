package io.parley.processor.flow;

import java.util.List;
import java.util.Optional;

/**
 * Calls that run in parallel; the next step starts when all of them have answered.
 *
 * @param calls the calls, in order (the order gives their request ids)
 * @param when a template that must render non-blank for the step to run (e.g.
 *     {@code {{results.order.trackingId}}}); a skipped step ends the chain with the reply
 */
public record StepDefinition(List<CallDefinition> calls, Optional<Template> when) {

    public StepDefinition {
        calls = List.copyOf(calls);
    }
}
