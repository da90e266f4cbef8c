package io.parley.processor.flow;

import java.util.Set;

/**
 * The names a flow template can use at its top level: what the conversation step puts in a
 * template's scope ({@code io.parley.processor.conversation.TemplateScope}). A name outside these
 * renders as nothing at run time, so the flow checks refuse it ({@code {{reslts.order}}}).
 */
public final class TemplateModel {

    /** The user of the conversation, from the authenticated event. */
    public static final String USER = "user";
    public static final String CONVERSATION = "conversation";
    public static final String PROFILE = "profile";
    public static final String SLOTS = "slots";
    public static final String RESULTS = "results";
    public static final String FAILED = "failed";
    public static final String INTENT = "intent";
    /** The latest trigger-rule alert delivered in the conversation (empty when none). */
    public static final String ALERT = "alert";
    /** The failed status, in error replies. */
    public static final String ERROR = "error";

    /** Every top-level name. */
    public static final Set<String> ROOTS = Set.of(USER, CONVERSATION, PROFILE, SLOTS, RESULTS, FAILED, INTENT, ALERT, ERROR);
    /** The fields of {@code user}. */
    public static final Set<String> USER_FIELDS = Set.of("id", "channel", "locale");
    /** The fields of {@code alert} (with {@code device.id}, {@code device.name}, {@code device.location}). */
    public static final Set<String> ALERT_FIELDS = Set.of("device", "rule", "metric", "value", "at");
    /** The fields of {@code conversation}. */
    public static final Set<String> CONVERSATION_FIELDS = Set.of("id");

    private TemplateModel() {
    }
}
