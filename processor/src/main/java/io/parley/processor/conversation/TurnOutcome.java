package io.parley.processor.conversation;

/** How a turn ended, as counted by the turn metrics. */
public enum TurnOutcome {
    /** The intent's reply was sent with every result. */
    ANSWERED,
    /** The reply was sent with what succeeded while some calls failed. */
    PARTIAL,
    /** A backend call failed and its error reply was sent. */
    BACKEND_ERROR,
    /** The deadline passed; the fallback reply was sent. */
    TIMED_OUT,
    /** No intent matched. */
    NO_MATCH,
    /** The user cancelled a question. */
    CANCELLED,
    /** A question got too many invalid answers. */
    GAVE_UP,
    /** A new intent started before this one was answered. */
    SUPERSEDED,
    /** The turn failed inside Parley (for example a template that could not render). */
    ERROR
}
