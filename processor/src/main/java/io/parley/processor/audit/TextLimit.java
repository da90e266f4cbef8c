package io.parley.processor.audit;

/** Cuts texts to a length: replies, audit texts and request parameters stay within what Kafka accepts. */
public final class TextLimit {

    /** What a cut text ends with. */
    public static final String ELLIPSIS = "…";

    private TextLimit() {
    }

    /** {@code text} cut to at most {@code max} characters (the last one an ellipsis), never splitting a surrogate pair. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Math.max(0, max - ELLIPSIS.length());
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
