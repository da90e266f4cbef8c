package io.parley.kafka.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client listener with SASL/SCRAM-SHA-512 authentication over TLS, for an embedded cluster that
 * runs with authorization on (see {@link EmbeddedKafkaCluster.Builder#saslSslListener}). The
 * broker presents the key in {@code keyStore} (PKCS12); clients trust its certificate and log in
 * with SCRAM credentials created through the admin client.
 *
 * @param keyStore the broker's PKCS12 key store: its key and certificate (for {@code localhost})
 * @param password the key store's password (also the key's)
 */
public record SaslSslListener(Path keyStore, String password) {

    /** The listener's name; {@code listener.name.secure.*} are its settings. */
    public static final String NAME = "SECURE";

    /** The SASL mechanism clients use on this listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SaslSslListener {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "SaslSslListener[" + keyStore + "]";
    }

    /** The broker settings: the default listeners plus this one, its TLS and SASL settings, the authorizer. */
    Map<String, Object> brokerProperties(String brokerListener, String controllerListener) {
        String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("listeners", brokerListener + "://localhost:0," + controllerListener + "://localhost:0," + NAME + "://localhost:0");
        props.put("listener.security.protocol.map", brokerListener + ":PLAINTEXT," + controllerListener + ":PLAINTEXT," + NAME + ":SASL_SSL");
        props.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        props.put(prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put(prefix + "ssl.keystore.type", "PKCS12");
        props.put(prefix + "ssl.keystore.location", keyStore.toAbsolutePath().toString());
        props.put(prefix + "ssl.keystore.password", password);
        props.put(prefix + "ssl.key.password", password);
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        // The unauthenticated default listener: the broker itself, the controller, the operator
        props.put("super.users", "User:ANONYMOUS");
        return props;
    }
}
