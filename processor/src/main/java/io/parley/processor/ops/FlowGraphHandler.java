package io.parley.processor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.graph.FlowGraph;
import io.parley.processor.flow.graph.MermaidRenderer;
import io.parley.processor.flow.graph.SvgRenderer;
import io.parley.runtime.AdminServer;
import java.io.IOException;

/**
 * The loaded flows as a picture on the admin endpoint: {@code GET /flows/graph.svg} (and
 * {@code /flows/graph.mmd}, Mermaid text). The flows of this instance, exactly as it runs them;
 * the console of the web gateway shows this picture. Flows hold no personal data, so no token.
 */
public final class FlowGraphHandler implements HttpHandler {

    public static final String PATH = "/flows/";

    private final String svg;
    private final String mermaid;

    public FlowGraphHandler(FlowCatalog flows) {
        FlowGraph graph = FlowGraph.of(flows);
        this.svg = SvgRenderer.render(graph);
        this.mermaid = MermaidRenderer.render(graph);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            AdminServer.respond(exchange, 405, "application/json", "{\"error\":\"GET only\"}");
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/flows/graph.svg" -> AdminServer.respond(exchange, 200, "image/svg+xml; charset=utf-8", svg);
            case "/flows/graph.mmd" -> AdminServer.respond(exchange, 200, "text/plain; charset=utf-8", mermaid);
            default -> AdminServer.respond(exchange, 404, "application/json", "{\"error\":\"not found\"}");
        }
    }
}
