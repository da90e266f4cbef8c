package io.parley.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.util.ToolInputValidator;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.http.WebServer;
import io.parley.topics.Topics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server: the configured connector operations as tools over Streamable HTTP (MCP Java SDK,
 * servlet transport on Jetty 12). Every HTTP request must carry a caller's bearer token; the user
 * it names (a static token's user, or a verified JWT's user claim) is the trusted user of the backend
 * requests the caller's tool calls become; every call writes a TOOL_CALL audit record, and so does every call refused
 * before it reaches a tool (no accepted token, an unknown tool, arguments outside the tool's schema).
 */
public final class McpToolServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpToolServer.class);
    /** Where the authenticated user travels from the HTTP request to the tool call. */
    static final String USER = "parley.user";
    /** How the caller authenticated ({@code token} or {@code jwt}), for the audit. */
    static final String METHOD = "parley.authenticatedBy";

    /** The SDK's default validator of tool inputs, given to the server and used by the tools' handlers. */
    private static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    /** Answers 200 once the server listens; no token needed, nothing revealed. */
    public static final String READY_PATH = "/health/ready";

    private final WebServer jetty;
    private final McpSyncServer mcp;
    private final KafkaBackend backend;

    private McpToolServer(WebServer jetty, McpSyncServer mcp, KafkaBackend backend) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.backend = backend;
    }

    /** Builds and starts the server; it listens when this returns. */
    public static McpToolServer start(McpSettings settings, Clock clock) throws Exception {
        KafkaBackend backend = new KafkaBackend(settings.kafka(), Topics.create(settings.topics(), settings.schemaRegistry()));
        try {
            ToolCalls calls = new ToolCalls(backend, new ToolAudit(new Redactor(), settings.auditUsers()), settings.callTimeout(), clock);
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .mcpEndpoint(settings.path())
                    .maxRequestSize(ToolCallGate.MAX_BODY_BYTES)
                    .contextExtractor(request -> McpTransportContext.create(
                            Map.of(USER, String.valueOf(request.getAttribute(USER)), METHOD, String.valueOf(request.getAttribute(METHOD)))))
                    .build();
            McpSyncServer mcp = McpServer.sync(transport)
                    .serverInfo("parley", McpToolServer.class.getPackage().getImplementationVersion() == null
                            ? "dev" : McpToolServer.class.getPackage().getImplementationVersion())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    // Tool inputs are validated by each tool's handler, with the SDK's validator, so refusals are audited.
                    .validateToolInputs(false)
                    .jsonSchemaValidator(VALIDATOR)
                    .tools(specifications(settings.tools(), calls))
                    .build();
            ServletContextHandler context = new ServletContextHandler();
            context.addFilter(new FilterHolder(new ToolCallGate(settings.callers(), settings.tools(), calls)), settings.path(), EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(transport), settings.path());
            // Open to probes and supervisors: it says no more than that the server is up (its Kafka clients were made at start).
            context.addServlet(new ServletHolder(new Ready()), READY_PATH);
            // Jetty's default pool (8 to 200 threads): streamable HTTP holds a thread per open tool call.
            WebServer jetty = WebServer.builder("mcp-http").host(settings.bind()).port(settings.port()).threads(8, 200)
                    .handler(context).start();
            McpToolServer server = new McpToolServer(jetty, mcp, backend);
            LOG.info("MCP server listening on {}:{}{} with {} tool(s)", settings.bind(), server.port(), settings.path(),
                    settings.tools().size());
            return server;
        } catch (Exception e) {
            backend.close();
            throw e;
        }
    }

    private static List<SyncToolSpecification> specifications(List<ToolDefinition> tools, ToolCalls calls) {
        return tools.stream().map(tool -> {
            McpSchema.Tool offered = McpSchema.Tool.builder().name(tool.name()).description(tool.describe()).inputSchema(tool.inputSchema()).build();
            return SyncToolSpecification.builder()
                    .tool(offered)
                    .callHandler((exchange, request) -> {
                        String session = "mcp:" + (exchange.sessionId() == null ? "stateless" : exchange.sessionId());
                        Optional<Callers.Identity> caller = caller(exchange.transportContext());
                        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
                        if (caller.isEmpty()) {
                            calls.refused(refused(ToolAudit.Refusal.UNAUTHENTICATED, "the call carries no caller", tool, caller, session, arguments, calls));
                            return ToolCalls.error("UNAUTHORIZED: the call carries no caller");
                        }
                        // The SDK's own check and answer; only the audit record is added.
                        CallToolResult invalid = ToolInputValidator.validate(offered, arguments, true, VALIDATOR);
                        if (invalid != null) {
                            calls.refused(refused(ToolAudit.Refusal.INVALID_ARGUMENTS, "the arguments are outside the tool's schema", tool, caller,
                                    session, arguments, calls));
                            return invalid;
                        }
                        return calls.call(tool, caller.get(), session.substring("mcp:".length()), arguments);
                    })
                    .build();
        }).toList();
    }

    private static Optional<Callers.Identity> caller(McpTransportContext context) {
        Object user = context.get(USER);
        if (user == null || "null".equals(user)) {
            return Optional.empty();
        }
        return Optional.of(new Callers.Identity(user.toString(), String.valueOf(context.get(METHOD))));
    }

    private static ToolAudit.Refused refused(ToolAudit.Refusal refusal, String reason, ToolDefinition tool, Optional<Callers.Identity> caller,
                                             String session, Map<String, Object> arguments, ToolCalls calls) {
        return new ToolAudit.Refused(refusal, reason, tool.name(), Optional.of(tool), caller, session, arguments.keySet(),
                calls.clock().instant());
    }

    /** The port it listens on. */
    public int port() {
        return jetty.port();
    }

    @Override
    public void close() {
        try {
            mcp.closeGracefully();
        } catch (RuntimeException e) {
            LOG.warn("MCP sessions did not close cleanly ({})", e.getClass().getSimpleName());
        }
        try {
            jetty.close();
        } catch (RuntimeException e) {
            LOG.warn("The MCP HTTP server did not stop cleanly ({})", e.getClass().getSimpleName());
        }
        backend.close();
    }

    /** The readiness probe. */
    private static final class Ready extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ready\n");
        }
    }
}
