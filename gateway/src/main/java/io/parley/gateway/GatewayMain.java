package io.parley.gateway;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;

/** Runs a gateway: {@code java io.parley.gateway.GatewayMain /config/gateway.yaml}. */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain <gateway.yaml>");
            System.exit(2);
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.read(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway = Gateway.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("Parley gateway listening on " + gateway.uri());
        stopped.await();
    }
}
