package io.parley.processor.telemetry;

import io.parley.processor.flow.ConnectorOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The rules' calls against the connector catalog the workers published (known at start, not when the rules file is
 * read): for each connector the catalog describes, the operation must exist, the call must give every parameter the
 * operation reads, and {@code {{results.<call>.<field>}}} must be a field of the operation's result when its response
 * schema lists them. Connectors the catalog does not describe are not checked (as for flows).
 */
public final class RuleCallContracts {

    private RuleCallContracts() {
    }

    /** Every problem, each naming the rules file, the rule and the field. */
    public static List<String> problems(RuleBook book, ConnectorOperations catalog) {
        List<String> problems = new ArrayList<>();
        for (Rule rule : book.rules()) {
            for (RuleCall call : rule.calls()) {
                String where = book.source() + ": rules[" + rule.name() + "].calls." + call.name();
                if (!catalog.operations().containsKey(call.connector())) {
                    continue;
                }
                Optional<Set<String>> parameters = catalog.parameters(call.connector(), call.operation());
                if (parameters.isEmpty()) {
                    problems.add(where + ".operation: connector '" + call.connector() + "' has no operation '" + call.operation()
                            + "'; its operations are " + new TreeSet<>(catalog.operations().get(call.connector()).keySet()));
                    continue;
                }
                Set<String> missing = new TreeSet<>(parameters.get());
                missing.removeAll(call.params().keySet());
                if (!missing.isEmpty()) {
                    problems.add(where + ".params: operation '" + call.operation() + "' of connector '" + call.connector()
                            + "' reads " + missing + ", which the call does not give");
                }
                Optional<Set<String>> fields = catalog.resultFields(call.connector(), call.operation());
                if (fields.isPresent()) {
                    checkFields(problems, book.source(), rule, "message", rule.message(), call.name(), fields.get());
                    if (rule.fallback() != null) {
                        checkFields(problems, book.source(), rule, "fallback", rule.fallback(), call.name(), fields.get());
                    }
                }
            }
        }
        return problems;
    }

    /** Stops the start at the first problem (the others are counted). */
    public static void verify(RuleBook book, ConnectorOperations catalog, String topicName) {
        List<String> problems = problems(book, catalog);
        if (!problems.isEmpty()) {
            String more = problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more)";
            throw new ConfigException(problems.get(0) + more + " [connector catalog on " + topicName + "]");
        }
    }

    private static void checkFields(List<String> problems, String source, Rule rule, String key, String template, String call,
                                    Set<String> fields) {
        String prefix = "results." + call + ".";
        for (String name : RuleCalls.names(template)) {
            if (name.startsWith(prefix)) {
                String field = name.substring(prefix.length()).split("\\.", 2)[0];
                if (!fields.contains(field)) {
                    problems.add(source + ": rules[" + rule.name() + "]." + key + ": uses {{" + name + "}}, but the result of '"
                            + call + "' has no field '" + field + "'; its fields are " + new TreeSet<>(fields));
                }
            }
        }
    }
}
