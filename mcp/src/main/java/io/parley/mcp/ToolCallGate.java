package io.parley.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of the SDK's servlet: lets through requests with a known caller's bearer token, marked with its user, and
 * answers 401 to the others. It reads each POSTed JSON-RPC message first, so that a {@code tools/call} the SDK will
 * refuse before any tool sees it is audited: one without an accepted token (refused here), and one naming no tool of
 * this server (the SDK answers it with its own {@code Unknown tool} error, as before). Arguments outside a tool's
 * schema are audited where the tool's handler validates them ({@link McpToolServer}).
 */
final class ToolCallGate implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallGate.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest request body read, here and by the SDK's transport (which answers 413 beyond it as well). */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** A session id worth repeating in the audit: the SDK's are UUIDs; anything else a caller sends is not recorded. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private final Callers callers;
    private final Map<String, ToolDefinition> tools;
    private final ToolCalls calls;

    ToolCallGate(Callers callers, List<ToolDefinition> tools, ToolCalls calls) {
        this.callers = callers;
        this.tools = tools.stream().collect(Collectors.toUnmodifiableMap(ToolDefinition::name, Function.identity()));
        this.calls = calls;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        Callers.Authentication authentication = callers.authenticate(http.getHeader("Authorization"));
        byte[] body = null;
        if ("POST".equals(http.getMethod())) {
            body = read(http);
            if (body == null) {
                answer.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
        }
        List<ToolCall> toolCalls = body == null ? List.of() : toolCalls(body);
        Optional<Callers.Identity> caller = authentication.identity();
        String conversation = "mcp:" + Optional.ofNullable(http.getHeader(SESSION_HEADER))
                .filter(id -> SESSION_ID.matcher(id).matches()).orElse("stateless");
        if (caller.isEmpty()) {
            toolCalls.forEach(call -> refuse(ToolAudit.Refusal.UNAUTHENTICATED, authentication.reason(), call, caller, conversation));
            answer.setHeader("WWW-Authenticate", "Bearer");
            answer.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        for (ToolCall call : toolCalls) {
            if (call.name() == null || !tools.containsKey(call.name())) {
                // The SDK answers it with its own error; the audit learns of it here, where the caller is known.
                refuse(ToolAudit.Refusal.UNKNOWN_TOOL, call.name() == null ? "the call names no tool" : "no tool has this name",
                        call, caller, conversation);
            }
        }
        request.setAttribute(McpToolServer.USER, caller.get().user());
        request.setAttribute(McpToolServer.METHOD, caller.get().method());
        chain.doFilter(body == null ? request : new ReadBody(http, body), response);
    }

    private void refuse(ToolAudit.Refusal refusal, String reason, ToolCall call, Optional<Callers.Identity> caller, String conversation) {
        boolean audited = calls.refused(new ToolAudit.Refused(refusal, reason, call.name(), Optional.ofNullable(call.name()).map(tools::get),
                caller, conversation, call.argumentNames(), calls.clock().instant()));
        if (audited) {
            // bounded like the audit: a flood of calls without a token neither fills the log
            LOG.warn("MCP tool call refused: {} ({})", refusal, reason);
        }
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    /** The {@code tools/call} requests of a JSON-RPC body (one message or a batch); none when it is not JSON. */
    static List<ToolCall> toolCalls(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return List.of();
        }
        List<ToolCall> found = new ArrayList<>();
        for (JsonNode message : root == null ? List.<JsonNode>of() : root.isArray() ? root : List.of(root)) {
            if (message.isObject() && "tools/call".equals(message.path("method").asText(null))) {
                JsonNode params = message.path("params");
                JsonNode name = params.path("name");
                List<String> arguments = new ArrayList<>();
                params.path("arguments").fieldNames().forEachRemaining(arguments::add);
                found.add(new ToolCall(name.isTextual() ? name.asText() : null, arguments));
            }
        }
        return found;
    }

    /** A {@code tools/call} as this gate sees it: the tool's name and the arguments' names, never their values. */
    record ToolCall(String name, List<String> argumentNames) {
    }

    /** The request with its body read again from memory, for the SDK. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is read already; read it blocking");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                charset = getCharacterEncoding() == null ? charset : Charset.forName(getCharacterEncoding());
            } catch (IllegalArgumentException e) {
                // An encoding nobody knows: JSON is UTF-8.
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }
}
