package io.parley.processor.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The checks that need more than one entry at a time: names templates use, slots nobody reads,
 * intents whose examples all go to another intent, and calls against the connector files.
 * Each returns every problem it finds; the loader decides whether the first one stops it.
 */
final class FlowRules {

    private FlowRules() {
    }

    /** Top-level names of a template that the template's scope never has ({@code {{reslts.order}}}, {@code {{user.emial}}}). */
    static List<ConfigException> variables(Template template) {
        List<ConfigException> problems = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (Template.Use use : template.uses()) {
            // Inside a section a name is first looked up in the section's value, which only run time knows.
            if (!use.within().isEmpty() || use.name().equals(".") || !reported.add(use.name())) {
                continue;
            }
            String[] parts = use.name().split("\\.");
            String root = parts[0];
            if (!TemplateModel.ROOTS.contains(root)) {
                problems.add(new ConfigException(template.where() + ": unknown variable '{{" + use.name() + "}}': '" + root
                        + "' is not a name templates can use; they can use " + new TreeSet<>(TemplateModel.ROOTS)));
            } else if (parts.length > 1 && root.equals(TemplateModel.USER) && !TemplateModel.USER_FIELDS.contains(parts[1])) {
                problems.add(new ConfigException(template.where() + ": unknown user field '{{" + use.name() + "}}'; the user has "
                        + new TreeSet<>(TemplateModel.USER_FIELDS)));
            } else if (parts.length > 1 && root.equals(TemplateModel.CONVERSATION)
                    && !TemplateModel.CONVERSATION_FIELDS.contains(parts[1])) {
                problems.add(new ConfigException(template.where() + ": unknown conversation field '{{" + use.name()
                        + "}}'; the conversation has " + new TreeSet<>(TemplateModel.CONVERSATION_FIELDS)));
            } else if (parts.length > 1 && root.equals(TemplateModel.ALERT) && !TemplateModel.ALERT_FIELDS.contains(parts[1])) {
                problems.add(new ConfigException(template.where() + ": unknown alert field '{{" + use.name() + "}}'; the alert has "
                        + new TreeSet<>(TemplateModel.ALERT_FIELDS)));
            }
        }
        return problems;
    }

    /** Slots the intent asks for but no template (parameter, condition, reply, prompt) ever reads. */
    static List<ConfigException> unusedSlots(String where, IntentDefinition intent) {
        Set<String> used = new LinkedHashSet<>();
        boolean all = false;
        for (Template template : templates(intent)) {
            for (Template.Use use : template.uses()) {
                String[] parts = use.name().split("\\.");
                if (use.name().equals(TemplateModel.SLOTS)) {
                    all = true;
                } else if (parts.length >= 2 && parts[0].equals(TemplateModel.SLOTS)) {
                    used.add(parts[1]);
                }
            }
        }
        List<ConfigException> problems = new ArrayList<>();
        if (all) {
            return problems;
        }
        for (String slot : intent.slots().keySet()) {
            if (!used.contains(slot)) {
                problems.add(new ConfigException(where + ".slots." + slot + ": the slot is never used: no call parameter, "
                        + "condition or reply reads {{slots." + slot + "}}, so asking for it only delays the answer"));
            }
        }
        return problems;
    }

    /**
     * Intents with examples that rules of intents tried before them take, every one: a user who
     * writes like the examples never reaches the intent.
     */
    static List<ConfigException> unreachable(Map<String, String> whereByIntent, List<IntentDefinition> intents) {
        IntentMatcher matcher = new IntentMatcher(intents);
        List<ConfigException> problems = new ArrayList<>();
        for (IntentDefinition intent : intents) {
            if (intent.examples().isEmpty()) {
                continue;
            }
            Set<String> takenBy = new LinkedHashSet<>();
            boolean reachable = false;
            for (String example : intent.examples()) {
                Optional<IntentMatch> match = matcher.match(example);
                if (match.isEmpty() || match.get().intent().name().equals(intent.name())) {
                    reachable = true;
                    break;
                }
                takenBy.add(match.get().intent().name());
            }
            if (!reachable) {
                problems.add(new ConfigException(whereByIntent.get(intent.name()) + ".examples: the intent is unreachable: "
                        + "every example is matched first by the keywords or patterns of " + takenBy
                        + " (higher priority, or earlier in the file at equal priority)"));
            }
        }
        return problems;
    }

    /** Calls whose parameters are not the ones the connector files declare for the operation. */
    static List<ConfigException> callParameters(String where, IntentDefinition intent, ConnectorOperations connectors) {
        List<ConfigException> problems = new ArrayList<>();
        for (int i = 0; i < intent.steps().size(); i++) {
            for (CallDefinition call : intent.steps().get(i).calls()) {
                String at = where + ".steps[" + i + "].calls." + call.name();
                Optional<Set<String>> declared = connectors.parameters(call.connector(), call.operation());
                if (declared.isEmpty()) {
                    problems.add(new ConfigException(at + ".operation: the connector files have no operation '" + call.operation()
                            + "' of connector '" + call.connector() + "'; they have "
                            + connectors.operations().getOrDefault(call.connector(), Map.of()).keySet()));
                    continue;
                }
                Set<String> missing = new TreeSet<>(declared.get());
                missing.removeAll(call.params().keySet());
                Set<String> unknown = new TreeSet<>(call.params().keySet());
                unknown.removeAll(declared.get());
                String operation = call.connector() + "." + call.operation();
                if (!missing.isEmpty()) {
                    problems.add(new ConfigException(at + ".params: " + operation + " needs " + missing
                            + ", which the call does not give; the operation's parameters are " + new TreeSet<>(declared.get())));
                }
                for (String param : unknown) {
                    problems.add(new ConfigException(at + ".params." + param + ": " + operation + " has no parameter '" + param
                            + "'; its parameters are " + new TreeSet<>(declared.get())));
                }
            }
        }
        return problems;
    }

    /**
     * Templates that read a field of a call's result that the operation's response schema does not
     * have ({@code {{results.order.stauts}}}, or {@code {{stauts}}} inside {{#results.order}}): such
     * a template would always render nothing there. Only top-level fields of results are compared,
     * and only for operations whose schema lists them.
     */
    static List<ConfigException> resultFields(IntentDefinition intent, ConnectorOperations connectors) {
        Map<String, CallDefinition> calls = new HashMap<>();
        intent.steps().forEach(step -> step.calls().forEach(call -> calls.put(call.name(), call)));
        List<ConfigException> problems = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (Template template : templates(intent)) {
            for (Template.Use use : template.uses()) {
                String[] parts = use.name().split("\\.");
                String call = null;
                String field = null;
                if (parts.length >= 3 && parts[0].equals(TemplateModel.RESULTS)) {
                    call = parts[1];
                    field = parts[2];
                } else if (!use.within().isEmpty() && !use.name().equals(".") && !TemplateModel.ROOTS.contains(parts[0])) {
                    // A name inside a section over a result is looked up in that result first.
                    String[] section = use.within().get(use.within().size() - 1).split("\\.");
                    if (section.length == 2 && section[0].equals(TemplateModel.RESULTS)) {
                        call = section[1];
                        field = parts[0];
                    }
                }
                CallDefinition definition = call == null ? null : calls.get(call);
                if (definition == null) {
                    continue;
                }
                Optional<Set<String>> known = connectors.resultFields(definition.connector(), definition.operation());
                if (known.isPresent() && !known.get().contains(field) && reported.add(template.where() + "/" + call + "." + field)) {
                    problems.add(new ConfigException(template.where() + ": reads field '" + field + "' of results." + call
                            + ", which the response schema of " + definition.connector() + "." + definition.operation()
                            + " does not have; its fields are " + new TreeSet<>(known.get())));
                }
            }
        }
        return problems;
    }

    static List<Template> templates(IntentDefinition intent) {
        List<Template> templates = new ArrayList<>(List.of(intent.reply(), intent.interim(), intent.fallback(), intent.followUp()));
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
}
