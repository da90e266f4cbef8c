package io.parley.processor.flow;

import com.google.re2j.Pattern;
import io.parley.schemas.BackendStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something a user can ask for: how to recognise it, what details it needs, which backend calls
 * answer it and how the answer reads.
 *
 * @param name the intent's name
 * @param priority rules of higher priority are tried first
 * @param keywords phrases that select the intent when the message contains them (whole words, any case)
 * @param patterns regular expressions (RE2 syntax, matched in linear time) that select the intent; their named groups fill slots
 * @param slots the details the intent needs, in the order they are asked for
 * @param steps the backend calls, step by step
 * @param reply the answer, rendered when the calls are done
 * @param errorReplies answers by backend status name, with {@code default} for any other failure
 * @param interim the still-working message
 * @param fallback the message sent at the deadline
 * @param followUp the message for an answer after the deadline
 * @param timing interim, deadline and late-answer behaviour
 * @param title how the intent is named to users (quick replies when the classifier is unsure); a
 *     message that is exactly the title selects the intent
 * @param examples utterances the built-in classifier learns the intent from
 * @param mute the {@code mute:} or {@code unmute:} action, or {@code null} when the intent has neither
 */
public record IntentDefinition(String name, int priority, List<String> keywords, List<Pattern> patterns,
                               Map<String, SlotDefinition> slots, List<StepDefinition> steps, Template reply,
                               Map<String, Template> errorReplies, Template interim, Template fallback,
                               Template followUp, Timing timing, String title, List<String> examples,
                               MuteAction mute) {

    /** The key of the error reply used for statuses without one of their own. */
    public static final String DEFAULT_ERROR = "default";

    public IntentDefinition {
        keywords = List.copyOf(keywords);
        patterns = List.copyOf(patterns);
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        steps = List.copyOf(steps);
        errorReplies = Map.copyOf(errorReplies);
        examples = List.copyOf(examples);
    }

    /** The error reply for a failed call's status, if the intent has one for it or a default one. */
    public Optional<Template> errorReply(BackendStatus status) {
        return errorReply(status.name());
    }

    /**
     * The error reply for a failed call's status by name ({@code NOT_FOUND}, or
     * {@code RESPONSE_TOO_LARGE} for a result too large to keep), or the default one.
     */
    public Optional<Template> errorReply(String status) {
        Template specific = errorReplies.get(status);
        return Optional.ofNullable(specific != null ? specific : errorReplies.get(DEFAULT_ERROR));
    }

    public Optional<SlotDefinition> slot(String slotName) {
        return Optional.ofNullable(slots.get(slotName));
    }

    /** The first slot (in definition order) without a value. */
    public Optional<SlotDefinition> firstMissingSlot(Map<String, String> filled) {
        return slots.values().stream().filter(slot -> !filled.containsKey(slot.name())).findFirst();
    }

    public boolean isLastStep(int stepIndex) {
        return stepIndex >= steps.size() - 1;
    }
}
