package io.parley.e2e.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a chaos run did and what the verifier found, as one summary line and as JSON.
 *
 * @param guarantee the processor's processing guarantee
 * @param conversations conversations played
 * @param turns chat messages planned (each one a turn that must get exactly one final reply)
 * @param redeliveredMessages messages the channel delivered more than once (at once or late, out of order)
 * @param processorKills SIGKILLs of the processor's JVM (each followed by a restart)
 * @param workerKills SIGKILLs of a worker's JVM (each followed by a new worker)
 * @param brokerRestarts stops and starts of the broker
 * @param storms periods the shop API answered 503 to every call
 * @param stormAnswers calls answered 503 by a storm
 * @param slowPeriods periods the shop API answered every call late
 * @param lost messages without a final reply
 * @param duplicates duplicated replies or messages with more than one final reply
 * @param wrong wrong, out-of-order or unexpected replies
 * @param redemptionRows redemption rows in PostgreSQL
 * @param duplicateWrites redemption rows in PostgreSQL beyond one per redeem message
 * @param missingWrites redeem messages without their redemption row
 * @param claimsApplied voucher claims the shop API applied (once per idempotency key)
 * @param poisonSent malformed records put on chat.events, backend.responses and backend.requests
 * @param chatDlq poison records found in the processor's dead-letter topic (chat.dlq)
 * @param workerDlq poison records found in the workers' dead-letter topic (backend.requests.dlq)
 * @param poisonNotInDlq poison records found in no dead-letter topic
 * @param seconds wall-clock seconds from the first message to the settled verdict
 */
public record ChaosFigures(String guarantee, int conversations, int turns, int redeliveredMessages, int processorKills,
                           int workerKills, int brokerRestarts, int storms, long stormAnswers, int slowPeriods, int lost,
                           int duplicates, int wrong, int redemptionRows, int duplicateWrites, int missingWrites,
                           int claimsApplied, int poisonSent, int chatDlq, int workerDlq, int poisonNotInDlq,
                           long seconds, List<String> timeline) {

    public ChaosFigures {
        timeline = List.copyOf(timeline);
    }

    /** The one summary line. */
    public String summary() {
        return ("CHAOS SOAK [%s] turns=%d conversations=%d redelivered=%d processorKills=%d workerKills=%d brokerRestarts=%d"
                + " storms=%d (503 answers=%d) slowPeriods=%d | lost=%d duplicates=%d wrong=%d | redemptionRows=%d"
                + " duplicateWrites=%d missingWrites=%d claimsApplied=%d | poison=%d chatDlq=%d workerDlq=%d notInDlq=%d"
                + " | %ds").formatted(guarantee, turns, conversations, redeliveredMessages, processorKills, workerKills,
                brokerRestarts, storms, stormAnswers, slowPeriods, lost, duplicates, wrong, redemptionRows, duplicateWrites,
                missingWrites, claimsApplied, poisonSent, chatDlq, workerDlq, poisonNotInDlq, seconds);
    }

    /** Writes the figures as JSON to {@code file}. */
    public void writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
