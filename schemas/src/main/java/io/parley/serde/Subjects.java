package io.parley.serde;

/** Subject names by topic, as the registry's default TopicNameStrategy names them. */
public final class Subjects {

    private Subjects() {
    }

    /** {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
