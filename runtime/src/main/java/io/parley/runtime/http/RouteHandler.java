package io.parley.runtime.http;

/** Answers the requests of one route; throws {@link HttpFailure} to answer with an error. */
@FunctionalInterface
public interface RouteHandler {

    HttpReply handle(HttpCall call);
}
