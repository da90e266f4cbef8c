package io.parley.demo;

import io.parley.schemas.Device;
import io.parley.topics.Topic;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo device fleet of local mode: a freezer of alice's and a parcel locker of bob's, published to the
 * compacted devices topic at every start (the same records again, so compaction keeps one of each).
 */
public final class DemoDevices {

    /** The classpath resource of the demo fleet's trigger rules. */
    public static final String RULES = "demo-iot/rules.yaml";

    public static final List<Device> FLEET = List.of(
            Device.newBuilder().setDeviceId("freezer-1").setOwnerUserId("alice").setName("Freezer")
                    .setLocation("store 12").setThresholds(Map.of("temperature.max", -15.0)).build(),
            Device.newBuilder().setDeviceId("locker-1").setOwnerUserId("bob").setName("Parcel locker")
                    .setLocation("Main Street station").setThresholds(Map.of()).build());

    private DemoDevices() {
    }

    /** Writes the fleet to the devices topic and waits for the broker's acknowledgement. */
    public static void publish(String bootstrapServers, Topic<String, Device> devices) {
        try (KafkaProducer<String, Device> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                devices.keySerde().serializer(), devices.valueSerde().serializer())) {
            for (Device device : FLEET) {
                producer.send(new ProducerRecord<>(devices.name(), device.getDeviceId(), device)).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not publish the demo devices to " + devices.name() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the demo devices", e);
        }
    }
}
