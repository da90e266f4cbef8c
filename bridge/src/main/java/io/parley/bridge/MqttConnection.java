package io.parley.bridge;

import io.parley.runtime.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's MQTT client: connects with growing waits until the broker answers, subscribes to the
 * filters at QoS 1 on every connection, and leaves acknowledging each message to the caller
 * ({@link #ack}) so that a message is acknowledged only once Kafka has it. A lost connection is made
 * again the same way.
 */
final class MqttConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    static final int QOS = 1;

    private final BridgeConfig.Mqtt settings;
    private final List<String> filters;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService connector =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-bridge-mqtt-connect"));
    private final Runnable onConnectionLost;
    private volatile boolean closed;
    /** True while a chain of connection attempts is under way. */
    private final java.util.concurrent.atomic.AtomicBoolean connecting = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param onMessage gets every message of the subscriptions, on Paho's callback thread; must not block
     */
    MqttConnection(BridgeConfig.Mqtt settings, List<String> filters, BiConsumer<String, MqttMessage> onMessage,
                   Runnable onConnectionLost) {
        this.settings = settings;
        this.filters = List.copyOf(filters);
        this.onConnectionLost = onConnectionLost;
        try {
            // The broker keeps the session (cleanSession=false); in-memory client state is enough for QoS 1 in.
            this.client = new MqttAsyncClient(settings.serverUri().toString(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot create the MQTT client for " + settings.serverUri() + ": " + e.getMessage(), e);
        }
        client.setManualAcks(true);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                subscribe();
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("MQTT connection to {} lost ({}); reconnecting", settings.serverUri(),
                        cause == null ? "no reason given" : cause.getClass().getSimpleName());
                onConnectionLost.run();
                reconnectSoon();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Commands wait on their token instead.
            }
        });
    }

    /** Starts connecting in the background; {@link #connected()} says when it worked. */
    void start() {
        reconnectSoon();
    }

    /** Starts a connection attempt unless one is under way: one chain of attempts at a time. */
    private void reconnectSoon() {
        if (!closed && connecting.compareAndSet(false, true)) {
            connector.execute(() -> attempt(settings.reconnectInitialDelay()));
        }
    }

    private void attempt(Duration wait) {
        if (closed) {
            connecting.set(false);
            return;
        }
        try {
            if (!client.isConnected()) {
                client.connect(options()).waitForCompletion(settings.connectTimeout().toMillis() + 1000);
                LOG.info("Connected to MQTT broker {} as {}", settings.serverUri(), settings.clientId());
            }
            connecting.set(false);
        } catch (MqttException e) {
            if (closed) {
                connecting.set(false);
                return;
            }
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED) {
                connecting.set(false);
                return;
            }
            LOG.warn("Cannot connect to MQTT broker {} ({}, reason code {}); trying again in {}", settings.serverUri(),
                    e.getMessage(), e.getReasonCode(), wait);
            // A timed-out attempt would otherwise stay "in progress" and refuse every later one.
            dropConnection();
            Duration next = wait.multipliedBy(2).compareTo(settings.reconnectMaxDelay()) > 0
                    ? settings.reconnectMaxDelay() : wait.multipliedBy(2);
            connector.schedule(() -> attempt(next), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void dropConnection() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.getMessage());
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(settings.cleanSession());
        // Reconnecting is done here, with this class's backoff: one mechanism, no races between two.
        options.setAutomaticReconnect(false);
        options.setMaxReconnectDelay((int) Math.min(Integer.MAX_VALUE, settings.reconnectMaxDelay().toMillis()));
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setMaxInflight(1000);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().reveal().toCharArray());
        }
        return options;
    }

    private void subscribe() {
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, QOS);
        try {
            client.subscribe(filters.toArray(String[]::new), qos);
        } catch (MqttException e) {
            LOG.warn("Cannot subscribe to {} ({}); connecting again", filters, e.getMessage());
            connector.execute(() -> {
                dropConnection();
                reconnectSoon();
            });
        }
    }

    /**
     * Drops the connection and connects again, so that the broker sends every unacknowledged message
     * again (MQTT 3.1.1 resends only on a new connection). Used when Kafka refused a write: without it
     * the message would wait, and the broker's in-flight window would fill and stall the bridge.
     */
    void resendUnacknowledged() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        connector.execute(() -> {
            LOG.warn("Reconnecting to {} so that the broker sends the unacknowledged messages again", settings.serverUri());
            dropConnection();
            attempt(settings.reconnectInitialDelay());
        });
    }

    boolean connected() {
        return client.isConnected();
    }

    /**
     * Acknowledges a message the bridge has handed on. When the connection was lost in between, the
     * broker sends the message again after reconnecting (a duplicate, never a loss).
     */
    void ack(MqttMessage message) {
        if (!client.isConnected()) {
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.warn("Cannot acknowledge MQTT message {} ({}); the broker will send it again", message.getId(), e.getMessage());
        }
    }

    /** Publishes at QoS 1 and waits until the broker has it. */
    void publish(String topic, byte[] payload, Duration timeout) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(QOS);
        client.publish(topic, message).waitForCompletion(timeout.toMillis());
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        try {
            // No quiesce: what is not acknowledged yet stays with the broker and comes again.
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT close: {}", e.getMessage());
        }
    }
}
