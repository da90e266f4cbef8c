package io.parley.local;

import io.parley.local.demo.DemoPreferences;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** What local mode prints when it is up: where everything is, so any Kafka tool can join in. */
final class LocalBanner {

    private static final String INDENT = "                           ";

    private LocalBanner() {
    }

    static void print(LocalStack stack, LocalParley parley, LocalGateway gateway, PrintWriter out) {
        out.println("Parley local mode is running.");
        out.println("  Web chat                 " + gateway.chatUrl() + "  (demo users: "
                + String.join(", ", LocalGateway.DEMO_USERS) + ")");
        for (String user : LocalGateway.DEMO_USERS) {
            out.println(INDENT + gateway.chatUrl() + "?user=" + user);
        }
        out.println("  Console                  " + gateway.consoleUrl() + "  (session token: "
                + parley.adminToken().shellReference() + ")");
        adapters(gateway.adapterEndpoints(), out);
        out.println("  Kafka bootstrap servers  " + stack.bootstrapServers());
        out.println("  Schema registry          " + stack.registryUrl());
        out.println("  Demo shop API            " + stack.shopApi().baseUrl()
                + (stack.shopApi().latency().isZero() ? "" : " (latency " + stack.shopApi().latency().toMillis() + " ms)"));
        out.println("  Demo shop database       " + stack.shopDatabase().jdbcUrl().replaceAll(";.*$", "") + " (in this JVM)");
        out.println("  " + String.format("%-25s", DemoPreferences.BANNER_NAME) + stack.preferences().status());
        out.println("  Data folder              " + stack.data().root());
        out.println("  Log                      " + stack.data().logFile());
        adminEndpoint(out, "Processor", parley.processorAdminUrl());
        adminEndpoint(out, "Worker", parley.workerAdminUrl());
        out.println("  Session lookup           curl -H \"Authorization: Bearer " + parley.adminToken().shellReference() + "\" \\");
        out.println(INDENT + "  " + parley.processorAdminUrl() + "/sessions/<conversation id>");
        out.println("  Topics (partitions)");
        for (Map.Entry<String, Integer> topic : stack.topics().partitionsByTopic().entrySet()) {
            out.println("    " + topic.getKey() + " (" + topic.getValue() + ")");
        }
        out.flush();
    }

    /** The channel adapters' endpoints, or that there are none and how to add them. */
    static void adapters(List<String> endpoints, PrintWriter out) {
        if (endpoints.isEmpty()) {
            out.println("  Channel adapters         none configured (--channels gateway.yaml serves its channels: list)");
            return;
        }
        out.println("  Channel adapters         (platforms need a public https URL: expose this port through a tunnel"
                + " and enter its URL in place of the address below)");
        for (String endpoint : endpoints) {
            out.println("    " + endpoint);
        }
    }

    private static void adminEndpoint(PrintWriter out, String name, String baseUrl) {
        out.println("  " + String.format("%-25s", name + " metrics") + baseUrl + "/metrics");
        out.println("  " + String.format("%-25s", name + " health") + baseUrl + "/health/ready  " + baseUrl + "/health/live");
    }
}
