package io.parley.local.tools.flowtest;

import io.parley.local.tools.flowtest.FlowTestRunner.Observed;
import io.parley.local.tools.flowtest.FlowTestSuite.ExpectedCall;
import io.parley.local.tools.flowtest.FlowTestSuite.ExpectedReply;
import io.parley.local.tools.flowtest.FlowTestSuite.Expectation;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Compares what a turn produced with what was expected, and says the difference as a person reads it. */
final class Diff {

    private Diff() {
    }

    /** The differences, one block per part that differs; empty when everything expected happened. */
    static Optional<String> of(Expectation expect, Observed observed) {
        List<String> blocks = new ArrayList<>();
        expect.replies().ifPresent(replies -> replies(replies, observed.replies()).ifPresent(blocks::add));
        expect.calls().ifPresent(calls -> calls(calls, observed.calls()).ifPresent(blocks::add));
        expect.slots().ifPresent(slots -> slots(slots, observed.slots()).ifPresent(blocks::add));
        expect.audit().ifPresent(kinds -> audit(kinds, observed.audit()).ifPresent(blocks::add));
        return blocks.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", blocks));
    }

    private static Optional<String> replies(List<ExpectedReply> expected, List<ChatReply> actual) {
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = expected.get(i).matches(actual.get(i).getKind(), actual.get(i).getText());
        }
        if (same) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("replies differ:\n  expected:\n");
        list(text, expected.stream().map(String::valueOf).toList());
        text.append("  actual:\n");
        list(text, actual.stream().map(reply -> reply.getKind() + " \"" + reply.getText() + "\"").toList());
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).matches(actual.get(i).getKind(), actual.get(i).getText())) {
                text.append("  first difference at reply ").append(i + 1).append(firstDifference(expected.get(i), actual.get(i)));
                break;
            }
        }
        return Optional.of(text.toString().stripTrailing());
    }

    private static String firstDifference(ExpectedReply expected, ChatReply actual) {
        if (expected.kind().isPresent() && expected.kind().get() != actual.getKind()) {
            return ": kind " + expected.kind().get() + " expected, was " + actual.getKind() + "\n";
        }
        if (expected.text().pattern().isPresent()) {
            return ": the text does not contain a match of " + expected.text().source() + "\n";
        }
        String want = expected.text().source();
        String got = actual.getText();
        int at = 0;
        while (at < want.length() && at < got.length() && want.charAt(at) == got.charAt(at)) {
            at++;
        }
        return ": the texts differ from character " + (at + 1) + ": expected \"…" + excerpt(want, at) + "\", was \"…" + excerpt(got, at) + "\"\n";
    }

    private static String excerpt(String text, int at) {
        return at >= text.length() ? "(end of text)" : text.substring(at, Math.min(text.length(), at + 30));
    }

    private static Optional<String> calls(List<ExpectedCall> expected, List<BackendRequest> actual) {
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            BackendRequest call = actual.get(i);
            same = expected.get(i).matches(call.getConnector(), call.getOperation(), call.getParams());
        }
        if (same) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("calls differ:\n  expected:\n");
        list(text, expected.stream().map(String::valueOf).toList());
        text.append("  actual:\n");
        list(text, actual.stream().map(call -> call.getConnector() + "." + call.getOperation() + " " + new TreeMap<>(call.getParams())).toList());
        return Optional.of(text.toString().stripTrailing());
    }

    private static Optional<String> slots(Map<String, String> expected, Map<String, String> actual) {
        List<String> wrong = new ArrayList<>();
        expected.forEach((slot, value) -> {
            if (!value.equals(actual.get(slot))) {
                wrong.add("  " + slot + ": expected \"" + value + "\", was " + (actual.containsKey(slot) ? "\"" + actual.get(slot) + "\"" : "not filled"));
            }
        });
        return wrong.isEmpty() ? Optional.empty() : Optional.of("slots differ:\n" + String.join("\n", wrong));
    }

    private static Optional<String> audit(List<AuditKind> expected, List<AuditEvent> actual) {
        List<AuditKind> kinds = actual.stream().map(AuditEvent::getKind).toList();
        int next = 0;
        for (AuditKind kind : kinds) {
            if (next < expected.size() && kind == expected.get(next)) {
                next++;
            }
        }
        if (next == expected.size()) {
            return Optional.empty();
        }
        return Optional.of("audit events differ: expected " + expected + " in this order, missing from " + expected.get(next)
                + "; actual " + kinds);
    }

    private static void list(StringBuilder text, List<String> items) {
        if (items.isEmpty()) {
            text.append("    (none)\n");
        }
        for (int i = 0; i < items.size(); i++) {
            text.append("    ").append(i + 1).append(". ").append(items.get(i)).append('\n');
        }
    }
}
