package io.parley.bridge;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;

/** Runs an MQTT bridge: {@code BridgeMain --config /config/bridge.yaml} (or the path alone). */
public final class BridgeMain {

    private BridgeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String file = args.length == 2 && args[0].equals("--config") ? args[1] : args.length == 1 ? args[0] : null;
        if (file == null) {
            System.err.println("usage: BridgeMain --config <bridge.yaml>");
            System.exit(2);
        }
        BridgeConfig config;
        try {
            config = BridgeConfig.read(Path.of(file));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Bridge bridge = Bridge.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.close();
            stopped.countDown();
        }, "bridge-shutdown"));
        System.out.println("Parley MQTT bridge for " + config.mqtt().serverUri() + " (" + config.subscriptions().size()
                + " subscriptions); /metrics and /health/ready on port " + bridge.adminPort());
        stopped.await();
    }
}
