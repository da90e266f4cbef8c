package io.parley.processor.conversation;

import io.parley.schemas.ReplyKind;

/** What the conversation logic reports for monitoring. */
public interface ConversationMetrics {

    /** A turn ended; {@code intent} is {@code none} when no intent matched. */
    void turnEnded(String intent, TurnOutcome outcome);

    /** A reply was sent {@code latencyMillis} after the user's event occurred. */
    void replySent(ReplyKind kind, long latencyMillis);

    /** A backend request was issued. */
    void requestIssued(String connector, String operation);

    /** A still-working message was sent. */
    void interimSent();

    /** A backend call was still unanswered at its deadline. */
    void callTimedOut(String connector, String operation);

    /** An answer came after its deadline; {@code delivered} when it became a follow-up. */
    void lateAnswer(boolean delivered);

    /** A duplicate was dropped: {@code event}, {@code response} or {@code notification}. */
    void duplicate(String what);

    /** A call's result was larger than {@code limits.maxResultBytes}, even reduced to the fields the flow reads. */
    default void resultTooLarge(String connector, String operation) {
    }

    /** A turn would have made its session larger than {@code limits.maxSessionBytes}; it was ended instead. */
    default void sessionTooLarge() {
    }

    /** A turn took more CPU time than {@code limits.turnCpuBudget}; it was ended with an error reply. */
    default void turnOverBudget() {
    }

    /** Metrics that are not recorded anywhere. */
    static ConversationMetrics none() {
        return new ConversationMetrics() {
            @Override
            public void turnEnded(String intent, TurnOutcome outcome) {
            }

            @Override
            public void replySent(ReplyKind kind, long latencyMillis) {
            }

            @Override
            public void requestIssued(String connector, String operation) {
            }

            @Override
            public void interimSent() {
            }

            @Override
            public void callTimedOut(String connector, String operation) {
            }

            @Override
            public void lateAnswer(boolean delivered) {
            }

            @Override
            public void duplicate(String what) {
            }
        };
    }
}
