package io.parley.processor.topology;

/**
 * The names of the processor's state stores. They name changelog topics too
 * ({@code <application.id>-<store>-changelog}): renaming one orphans its state, which is why a
 * test pins them.
 */
public final class StoreNames {

    /** Conversation id → Session. */
    public static final String SESSIONS = "sessions";
    /** Ordered index: big-endian due millis + timer reference → conversation id. */
    public static final String DEADLINES = "deadlines";
    /** Ordered index: big-endian expiry millis + conversation id → conversation id. */
    public static final String SESSION_EXPIRY = "session-expiry";
    /** Chat event ids seen recently (window store), to drop duplicates. */
    public static final String EVENT_IDS = "event-ids";
    /** User id → UserContact: where each user was last seen. */
    public static final String USER_DIRECTORY = "user-directory";
    /** Notification ids seen recently (window store), to deliver each once. */
    public static final String NOTIFICATION_IDS = "notification-ids";

    /** The repartition topic of user contacts: {@code <application.id>-user-contacts-repartition}. */
    public static final String USER_CONTACTS_REPARTITION = "user-contacts";

    /** Notifications re-keyed by the processor itself, so they meet the directory whatever partitioner their producer used. */
    public static final String NOTIFICATIONS_REPARTITION = "notifications-by-user";

    /**
     * Alert replies the notification delivery step sent, keyed by conversation id, back to the conversation sub-topology
     * ({@code <application.id>-alert-deliveries-repartition}; only with a rules file): the alert is kept in the session.
     */
    public static final String ALERT_DELIVERIES_REPARTITION = "alert-deliveries";

    private StoreNames() {
    }
}
