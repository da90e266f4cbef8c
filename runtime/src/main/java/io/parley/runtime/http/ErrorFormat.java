package io.parley.runtime.http;

/** The JSON body a server uses for errors; each API has its own convention. */
@FunctionalInterface
public interface ErrorFormat {

    /** The body for an error with this HTTP status, application error code and message. */
    Object body(int status, int errorCode, String message);
}
