package io.parley.processor.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls that run in parallel; the next step starts when all of them have answered.
 *
 * @param calls the calls, in order (the order gives their request ids)
 * @param when a template that must render non-blank for the step to run (e.g.
 *     {@code {{results.order.trackingId}}}); a skipped step ends the chain with the reply
 * @param lookup a reference-table lookup answered inside the processor (a step has calls or a lookup, not both)
 */
public record StepDefinition(List<CallDefinition> calls, Optional<Template> when, Optional<LookupDefinition> lookup) {

    public StepDefinition {
        calls = List.copyOf(calls);
    }

    public StepDefinition(List<CallDefinition> calls, Optional<Template> when) {
        this(calls, when, Optional.empty());
    }

    /** The names the step's results and failures are kept under: its calls', or its lookup's. */
    public List<String> resultNames() {
        List<String> names = new ArrayList<>();
        calls.forEach(call -> names.add(call.name()));
        lookup.ifPresent(l -> names.add(l.name()));
        return names;
    }
}
