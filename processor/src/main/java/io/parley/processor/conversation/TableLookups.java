package io.parley.processor.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.LookupDefinition;
import io.parley.processor.flow.StepDefinition;
import io.parley.processor.tables.ReferenceTables;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.state.Turn;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a lookup step: the reference table is read right here, in the turn (no worker round trip), and
 * the row is kept as the step's result exactly as a call's answer would be ({@code results.<name>},
 * the fields the flow reads, within {@code limits.maxResultBytes}). A key without a row is a
 * {@code NOT_FOUND} failure, as a backend's answer for an unknown key; a listing by an index is
 * {@code {"rows": [...], "count": n, "more": true|false}}, empty when nothing matches.
 */
final class TableLookups {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReferenceTables tables;
    private final KeptResults kept;

    TableLookups(ReferenceTables tables, KeptResults kept) {
        this.tables = tables;
        this.kept = kept;
    }

    /**
     * Runs the lookup of a step; its result or failure is in the turn afterwards.
     *
     * @return {@code false} when the step's {@code when} condition rendered blank and nothing was looked up
     */
    boolean runStep(Outcome out, Turn turn, IntentDefinition intent, int stepIndex) {
        StepDefinition step = intent.steps().get(stepIndex);
        LookupDefinition lookup = step.lookup().orElseThrow(() -> new IllegalArgumentException("step " + stepIndex + " has no lookup"));
        Map<String, Object> scope = TemplateScope.of(out.current(), turn);
        if (step.when().isPresent() && step.when().get().render(scope).isBlank()) {
            return false;
        }
        turn.setStepIndex(stepIndex);
        String key = lookup.key().render(scope).strip();
        Optional<String> result = lookup.index().isPresent()
                ? Optional.of(listing(tables.rows(lookup.table(), lookup.index().get(), key, lookup.limit())))
                : key.isEmpty() ? Optional.empty() : tables.row(lookup.table(), key);
        if (result.isEmpty()) {
            turn.getFailures().put(lookup.name(), BackendStatus.NOT_FOUND.name());
            return true;
        }
        Optional<String> keptResult = kept.keep(turn.getIntent(), lookup.name(), result.get());
        if (keptResult.isPresent()) {
            turn.getResults().put(lookup.name(), keptResult.get());
        } else {
            turn.getFailures().put(lookup.name(), RecordBounds.RESPONSE_TOO_LARGE);
        }
        return true;
    }

    private static String listing(ReferenceTables.Rows rows) {
        ObjectNode listing = JSON.createObjectNode();
        ArrayNode array = listing.putArray("rows");
        rows.rows().forEach(row -> array.add(ResultJson.tree("row", row)));
        listing.put("count", rows.rows().size());
        listing.put("more", rows.more());
        return listing.toString();
    }
}
