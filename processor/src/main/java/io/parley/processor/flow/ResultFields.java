package io.parley.processor.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which top-level fields of each call's result an intent reads: its templates (replies, error
 * replies, interim, fallback and follow-up messages, prompts, step conditions and parameters of
 * later calls) and the flows' shared texts. A session keeps only those fields of an answer, so
 * its size follows what the flow uses, not what a backend sends.
 *
 * <p>The reading is generous, never short: a name inside a section over a result
 * ({@code {{#results.order}}{{status}}{{/results.order}}}) counts as a field of that result, a
 * result written whole ({@code {{results.order}}}, {@code {{.}}} inside its section, a section
 * over {@code results}) is kept whole, and so is the result of a call that saves the profile.
 */
public final class ResultFields {

    private static final String RESULTS = "results";

    private final Map<String, Set<String>> fields;
    private final Set<String> whole;
    private final boolean everything;

    private ResultFields(Map<String, Set<String>> fields, Set<String> whole, boolean everything) {
        this.fields = fields;
        this.whole = whole;
        this.everything = everything;
    }

    /** What the intent reads of its calls' results. */
    static ResultFields of(IntentDefinition intent, FlowTexts texts) {
        Reader reader = new Reader();
        templates(intent, texts).forEach(template -> template.uses().forEach(reader::read));
        intent.steps().forEach(step -> step.calls().stream().filter(CallDefinition::saveProfile)
                .forEach(call -> reader.whole.add(call.name())));
        return new ResultFields(reader.fields, reader.whole, reader.everything);
    }

    /**
     * The top-level fields of the call's result to keep; empty when the result is kept whole.
     */
    public Optional<Set<String>> of(String call) {
        if (everything || whole.contains(call)) {
            return Optional.empty();
        }
        return Optional.of(Set.copyOf(fields.getOrDefault(call, Set.of())));
    }

    private static List<Template> templates(IntentDefinition intent, FlowTexts texts) {
        List<Template> templates = new ArrayList<>(List.of(intent.reply(), intent.interim(), intent.fallback(), intent.followUp(),
                texts.backendError(), texts.interim(), texts.fallback(), texts.error(), texts.noMatch(), texts.cancelled(),
                texts.gaveUp(), texts.didYouMean()));
        templates.addAll(intent.errorReplies().values());
        intent.slots().values().forEach(slot -> {
            templates.add(slot.prompt());
            templates.add(slot.invalid());
        });
        intent.steps().forEach(step -> {
            step.when().ifPresent(templates::add);
            step.calls().forEach(call -> templates.addAll(call.params().values()));
            step.lookup().ifPresent(lookup -> templates.add(lookup.key()));
        });
        return templates;
    }

    private static final class Reader {

        private final Map<String, Set<String>> fields = new HashMap<>();
        private final Set<String> whole = new HashSet<>();
        private boolean everything;

        void read(Template.Use use) {
            Set<String> contexts = new LinkedHashSet<>();
            for (String section : use.within()) {
                String[] parts = section.split("\\.");
                if (section.equals(RESULTS)) {
                    everything = true;
                } else if (parts.length == 2 && parts[0].equals(RESULTS)) {
                    contexts.add(parts[1]);
                }
            }
            String name = use.name();
            String[] parts = name.split("\\.");
            if (name.equals(RESULTS)) {
                everything = true;
            } else if (parts.length >= 2 && parts[0].equals(RESULTS)) {
                if (parts.length >= 3) {
                    field(parts[1], parts[2]);
                } else if (use.kind() == Template.Use.Kind.VALUE) {
                    whole.add(parts[1]);
                }
            } else if (name.equals(".")) {
                // The whole value of the innermost section: a result only when that section is one.
                String innermost = use.within().isEmpty() ? "" : use.within().get(use.within().size() - 1);
                String[] section = innermost.split("\\.");
                if (section.length == 2 && section[0].equals(RESULTS)) {
                    whole.add(section[1]);
                }
            } else if (parts.length > 0 && !parts[0].isEmpty()) {
                contexts.forEach(call -> field(call, parts[0]));
            }
        }

        private void field(String call, String field) {
            fields.computeIfAbsent(call, c -> new HashSet<>()).add(field);
        }
    }
}
