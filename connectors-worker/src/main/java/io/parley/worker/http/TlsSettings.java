package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.worker.config.SecretFields;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A connector's {@code tls:} section: which certificate authorities it trusts, the client
 * certificate it presents (mTLS) and the lowest TLS version it accepts. Files are read and checked
 * once, at start, so a missing file, a PEM that does not parse or a wrong store password stops the
 * start naming the entry; every call then gets TLS contexts built from the key material in memory.
 *
 * <p>Host name verification is always on: there is deliberately no setting to turn it off. A
 * backend with a certificate for another name gets a certificate that names it, or a connector
 * whose URL uses the name the certificate has.
 */
public final class TlsSettings {

    public static final String SECTION = "tls";
    static final String CA_FILE = "caFile";
    static final String TRUST_STORE = "trustStore";
    static final String TRUST_STORE_PASSWORD = "trustStorePassword";
    static final String TRUST_STORE_TYPE = "trustStoreType";
    static final String CLIENT_CERT = "clientCert";
    static final String CLIENT_KEY = "clientKey";
    static final String KEY_STORE = "keyStore";
    static final String KEY_STORE_PASSWORD = "keyStorePassword";
    static final String KEY_STORE_TYPE = "keyStoreType";
    static final String MIN_VERSION = "minVersion";

    /** The TLS versions a connector may ask for as its minimum, lowest first. */
    static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final char[] IN_MEMORY_PASSWORD = "parley".toCharArray();

    /** The JVM's trust, no client certificate, TLS 1.2 or newer. */
    public static final TlsSettings DEFAULT = new TlsSettings(Optional.empty(), Optional.empty(), "TLSv1.2");

    private final Optional<KeyStore> trust;
    private final Optional<KeyStore> identity;
    private final String minVersion;

    private TlsSettings(Optional<KeyStore> trust, Optional<KeyStore> identity, String minVersion) {
        this.trust = trust;
        this.identity = identity;
        this.minVersion = minVersion;
    }

    /** Reads a connector's {@code tls:} section; no section means {@link #DEFAULT}. */
    public static TlsSettings from(Optional<ConfigSection> section, ConfigVariables variables) {
        if (section.isEmpty()) {
            return DEFAULT;
        }
        ConfigSection tls = section.get().allowOnly(CA_FILE, TRUST_STORE, TRUST_STORE_PASSWORD, TRUST_STORE_TYPE,
                CLIENT_CERT, CLIENT_KEY, KEY_STORE, KEY_STORE_PASSWORD, KEY_STORE_TYPE, MIN_VERSION);
        String minVersion = tls.string(MIN_VERSION).map(String::trim).orElse("TLSv1.2");
        Optional<String> known = VERSIONS.stream().filter(version -> version.equalsIgnoreCase(minVersion)).findFirst();
        if (known.isEmpty()) {
            throw tls.error(MIN_VERSION, "'" + minVersion + "' is not one of " + VERSIONS);
        }
        return new TlsSettings(trust(tls, variables), identity(tls, variables), known.get());
    }

    private static Optional<KeyStore> trust(ConfigSection tls, ConfigVariables variables) {
        if (tls.has(CA_FILE) && tls.has(TRUST_STORE)) {
            throw tls.error(TRUST_STORE, "set either caFile (PEM) or trustStore, not both");
        }
        if (tls.has(CA_FILE)) {
            List<Certificate> certificates = certificates(tls, CA_FILE, read(tls, CA_FILE));
            KeyStore store = emptyStore();
            try {
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
            } catch (GeneralSecurityException e) {
                throw tls.error(CA_FILE, "the certificates cannot be used (" + e.getClass().getSimpleName() + ")");
            }
            return Optional.of(store);
        }
        if (tls.has(TRUST_STORE)) {
            // A trust store holds only public certificates: its password is optional.
            Optional<Secret> password = SecretFields.optional(tls, TRUST_STORE_PASSWORD, variables);
            return Optional.of(store(tls, TRUST_STORE, TRUST_STORE_TYPE, password));
        }
        for (String key : List.of(TRUST_STORE_PASSWORD, TRUST_STORE_TYPE)) {
            if (tls.has(key)) {
                throw tls.error(key, "is only used with trustStore");
            }
        }
        return Optional.empty();
    }

    private static Optional<KeyStore> identity(ConfigSection tls, ConfigVariables variables) {
        boolean pem = tls.has(CLIENT_CERT) || tls.has(CLIENT_KEY);
        if (pem && tls.has(KEY_STORE)) {
            throw tls.error(KEY_STORE, "set either clientCert and clientKey (PEM) or keyStore, not both");
        }
        if (pem) {
            if (!tls.has(CLIENT_CERT)) {
                throw tls.error(CLIENT_CERT, "is required with clientKey");
            }
            if (!tls.has(CLIENT_KEY)) {
                throw tls.error(CLIENT_KEY, "is required with clientCert");
            }
            List<Certificate> chain = certificates(tls, CLIENT_CERT, read(tls, CLIENT_CERT));
            PrivateKey key = privateKey(tls, read(tls, CLIENT_KEY));
            KeyStore store = emptyStore();
            try {
                store.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
            } catch (GeneralSecurityException e) {
                throw tls.error(CLIENT_KEY, "the key does not go with the certificate in " + CLIENT_CERT
                        + " (" + e.getClass().getSimpleName() + ")");
            }
            return Optional.of(store);
        }
        if (tls.has(KEY_STORE)) {
            Secret password = SecretFields.required(tls, KEY_STORE_PASSWORD, variables);
            KeyStore loaded = store(tls, KEY_STORE, KEY_STORE_TYPE, Optional.of(password));
            // Held under one in-memory password, so key and store passwords need not be configured apart.
            KeyStore store = emptyStore();
            try {
                int keys = 0;
                for (String alias : java.util.Collections.list(loaded.aliases())) {
                    if (loaded.isKeyEntry(alias)) {
                        store.setKeyEntry(alias, loaded.getKey(alias, password.reveal().toCharArray()), IN_MEMORY_PASSWORD,
                                loaded.getCertificateChain(alias));
                        keys++;
                    }
                }
                if (keys == 0) {
                    throw tls.error(KEY_STORE, "the store holds no private key (a client certificate needs one)");
                }
            } catch (GeneralSecurityException e) {
                throw tls.error(KEY_STORE, "the private key cannot be read with " + KEY_STORE_PASSWORD
                        + " (" + e.getClass().getSimpleName() + ")");
            }
            return Optional.of(store);
        }
        if (tls.has(KEY_STORE_PASSWORD) || tls.has(KEY_STORE_TYPE)) {
            throw tls.error(tls.has(KEY_STORE_PASSWORD) ? KEY_STORE_PASSWORD : KEY_STORE_TYPE, "is only used with keyStore");
        }
        return Optional.empty();
    }

    /** The lowest TLS version accepted. */
    public String minVersion() {
        return minVersion;
    }

    /** Whether a client certificate is presented. */
    public boolean mutual() {
        return identity.isPresent();
    }

    /** The protocols offered: {@link #minVersion()} and newer. */
    public String[] protocols() {
        List<String> offered = new ArrayList<>(VERSIONS.subList(VERSIONS.indexOf(minVersion), VERSIONS.size()));
        java.util.Collections.reverse(offered);
        return offered.toArray(String[]::new);
    }

    /** Whether anything differs from the JVM's defaults (trust, client certificate, minimum version). */
    public boolean customised() {
        return this != DEFAULT;
    }

    /** A fresh TLS context (its own session cache) with this trust and client certificate. */
    public SSLContext newContext() throws GeneralSecurityException {
        TrustManagerFactory trustManagers = null;
        if (trust.isPresent()) {
            trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust.get());
        }
        KeyManagerFactory keyManagers = null;
        if (identity.isPresent()) {
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(identity.get(), IN_MEMORY_PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                trustManagers == null ? null : trustManagers.getTrustManagers(), null);
        return context;
    }

    /**
     * A fresh TLS context like {@link #newContext()} whose every socket and engine offers only
     * {@link #protocols()}: for clients that take a context but no {@link SSLParameters}.
     */
    public SSLContext newVersionLimitedContext() throws GeneralSecurityException {
        return new VersionLimitedContext(newContext(), protocols());
    }

    /**
     * Parameters for a client socket on {@code context}: the offered versions and host name
     * verification, which is never turned off.
     */
    public SSLParameters clientParameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols());
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static byte[] read(ConfigSection tls, String key) {
        Path file = Path.of(tls.requiredString(key));
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw tls.error(key, "the file " + file + " does not exist");
        } catch (IOException e) {
            throw tls.error(key, "the file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static List<Certificate> certificates(ConfigSection tls, String key, byte[] pem) {
        Collection<? extends Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw tls.error(key, "the file does not hold PEM certificates (-----BEGIN CERTIFICATE-----)");
        }
        if (parsed.isEmpty()) {
            throw tls.error(key, "the file holds no certificate (-----BEGIN CERTIFICATE-----)");
        }
        return new ArrayList<>(parsed);
    }

    private static PrivateKey privateKey(ConfigSection tls, byte[] pem) {
        Matcher matcher = PEM_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!matcher.find()) {
            throw tls.error(CLIENT_KEY, "the file does not hold a PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!matcher.group(1).isEmpty()) {
            // The message never shows the key, only its kind.
            throw tls.error(CLIENT_KEY, "a '" + matcher.group(1).trim() + " PRIVATE KEY' is not supported; use an unencrypted"
                    + " PKCS#8 key (-----BEGIN PRIVATE KEY-----, e.g. openssl pkcs8 -topk8 -nocrypt) or a keyStore");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw tls.error(CLIENT_KEY, "the PEM private key is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Not this algorithm; try the next.
            }
        }
        throw tls.error(CLIENT_KEY, "the PEM private key is not an RSA, EC or EdDSA key in PKCS#8 form");
    }

    private static KeyStore store(ConfigSection tls, String key, String typeKey, Optional<Secret> password) {
        String type = tls.string(typeKey).map(String::trim).orElse("PKCS12").toUpperCase(Locale.ROOT);
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw tls.error(typeKey, "'" + type + "' is not a key store type this JVM knows (use PKCS12 or JKS)");
        }
        byte[] bytes = read(tls, key);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            store.load(in, password.map(secret -> secret.reveal().toCharArray()).orElse(null));
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password and a damaged file look alike to the JDK; both are named, never the password.
            throw tls.error(key, "the " + type + " store cannot be read: a wrong password or not a " + type + " file ("
                    + e.getClass().getSimpleName() + ")");
        }
        return store;
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make a PKCS12 key store", e);
        }
    }
}
