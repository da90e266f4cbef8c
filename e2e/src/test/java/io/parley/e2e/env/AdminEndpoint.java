package io.parley.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin endpoint of a processor or worker running in another JVM: is it ready, what do its metrics say? */
public final class AdminEndpoint {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    private AdminEndpoint(int port) {
        this.port = port;
    }

    /** An endpoint on a port that is free now, to give to the process about to start. */
    public static AdminEndpoint onFreePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new AdminEndpoint(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint a configuration file already names. */
    public static AdminEndpoint onPort(int port) {
        return new AdminEndpoint(port);
    }

    public int port() {
        return port;
    }

    /** Whether {@code /health/ready} answers 200 (a processor: Kafka Streams RUNNING; a worker: its loops run). */
    public boolean isReady() throws InterruptedException {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The sum of a Prometheus counter's samples whose labels contain {@code labels} (e.g.
     * {@code store="sessions"}), from {@code /metrics}; 0 when no sample has been written yet.
     */
    public double counter(String name, String labels) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(body);
        double sum = 0;
        while (samples.find()) {
            if (samples.group(1).contains(labels)) {
                sum += Double.parseDouble(samples.group(2));
            }
        }
        return sum;
    }
}
