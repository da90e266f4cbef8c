package io.parley.processor.ops;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.graph.FlowGraph;
import io.parley.processor.flow.graph.MermaidRenderer;
import io.parley.processor.flow.graph.SvgRenderer;
import io.parley.runtime.AdminServer;
import io.parley.runtime.access.Caller;
import io.parley.runtime.http.HttpCall;
import io.parley.runtime.http.HttpReply;
import java.util.Optional;

/**
 * The loaded flows as a picture on the admin endpoint: {@code GET /flows/graph.svg} (and
 * {@code /flows/graph.mmd}, Mermaid text). The flows of this instance, exactly as it runs them;
 * the console of the web gateway shows this picture. Flows hold no personal data, so no token.
 */
public final class FlowGraphHandler implements AdminServer.Route {

    public static final String PATH = "/flows/";

    private final String svg;
    private final String mermaid;

    public FlowGraphHandler(FlowCatalog flows) {
        FlowGraph graph = FlowGraph.of(flows);
        this.svg = SvgRenderer.render(graph);
        this.mermaid = MermaidRenderer.render(graph);
    }

    @Override
    public HttpReply handle(HttpCall call, Optional<Caller> caller) {
        if (!call.method().equals("GET")) {
            return HttpReply.text(405, "application/json", "{\"error\":\"GET only\"}");
        }
        return switch (call.path()) {
            case "/flows/graph.svg" -> HttpReply.text(200, "image/svg+xml; charset=utf-8", svg);
            case "/flows/graph.mmd" -> HttpReply.text(200, "text/plain; charset=utf-8", mermaid);
            default -> HttpReply.text(404, "application/json", "{\"error\":\"not found\"}");
        };
    }
}
