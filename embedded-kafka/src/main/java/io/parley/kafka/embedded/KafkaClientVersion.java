package io.parley.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The version of the kafka-clients jar on the class path, as reports and tests print it. Kafka's own reader of it
 * moved into an internal package in 4.4, so this reads the file the client jar ships instead.
 */
public final class KafkaClientVersion {

    private static final String VERSION_FILE = "/kafka/kafka-version.properties";

    private KafkaClientVersion() {
    }

    /** The version, e.g. {@code 4.4.0}; fails when the file is missing, which means a kafka-clients jar without it. */
    public static String current() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream(VERSION_FILE)) {
            if (in == null) {
                throw new IllegalStateException("kafka-clients has no " + VERSION_FILE);
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VERSION_FILE, e);
        }
    }
}
