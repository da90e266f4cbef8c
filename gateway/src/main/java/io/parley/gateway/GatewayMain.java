package io.parley.gateway;

import io.parley.runtime.ClassArchiveWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;

/** Runs a gateway: {@code GatewayMain --config /config/gateway.yaml} (or the path alone). */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String file = args.length == 2 && args[0].equals("--config") ? args[1] : args.length == 1 ? args[0] : null;
        if (file == null) {
            System.err.println("usage: GatewayMain --config <gateway.yaml>");
            System.exit(2);
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.read(Path.of(file));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway = Gateway.start(config, Clock.systemUTC());
        ClassArchiveWriter.startIfAsked();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            ClassArchiveWriter.writeAtCleanStop();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("Parley gateway listening on " + gateway.uri() + "; /metrics and /health/ready on port "
                + gateway.adminPort());
        stopped.await();
    }
}
