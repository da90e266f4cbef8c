package io.parley.local;

import java.io.PrintWriter;
import java.util.Map;

/** What local mode prints when it is up: where everything is, so any Kafka tool can join in. */
final class LocalBanner {

    private LocalBanner() {
    }

    static void print(LocalStack stack, PrintWriter out) {
        out.println("Parley local mode is running.");
        out.println("  Kafka bootstrap servers  " + stack.bootstrapServers());
        out.println("  Schema registry          " + stack.registryUrl());
        out.println("  Demo shop API            " + stack.shopApi().baseUrl()
                + (stack.shopApi().latency().isZero() ? "" : " (latency " + stack.shopApi().latency().toMillis() + " ms)"));
        out.println("  Demo shop database       " + stack.shopDatabase().jdbcUrl().replaceAll(";.*$", "") + " (in this JVM)");
        out.println("  Data and log             " + stack.data().root());
        out.println("  Topics (partitions)");
        for (Map.Entry<String, Integer> topic : stack.topics().partitionsByTopic().entrySet()) {
            out.println("    " + topic.getKey() + " (" + topic.getValue() + ")");
        }
        out.flush();
    }
}
