package io.parley.runtime.access;

/** The answer of {@link AccessControl#check}: the caller, or why not (401 or 403 with a JSON error body). */
public sealed interface Verdict {

    /** The request may go on. */
    record Allowed(Caller caller) implements Verdict {
    }

    /**
     * The request is refused.
     *
     * @param status 401 (no or bad credential) or 403 (a good credential whose role is not enough)
     * @param reason for the caller, never the credential
     */
    record Refused(int status, String reason) implements Verdict {

        /** The JSON body of the refusal: {@code {"error":"...","status":401}}. */
        public String json() {
            return "{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"status\":" + status + "}";
        }
    }
}
