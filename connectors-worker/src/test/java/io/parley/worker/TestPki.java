package io.parley.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made in the test (BouncyCastle builds the certificates, the JDK makes
 * the keys), issuing server and client certificates valid for an hour, written as PEM files or
 * PKCS12 stores the way an operator would hand them to Parley.
 */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    /** A key and its certificate chain (leaf first, then the CA). */
    public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate ca) {

        /** An in-memory PKCS12 store with this key under {@code password}. */
        public KeyStore keyStore(String password) throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate, ca});
            return store;
        }

        /** Writes the certificate chain as PEM. */
        public Path writeCertificate(Path file) throws IOException {
            Files.writeString(file, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(ca)));
            return file;
        }

        /** Writes the private key as unencrypted PKCS#8 PEM. */
        public Path writeKey(Path file) throws IOException {
            Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return file;
        }

        /** Writes a PKCS12 store with this key. */
        public Path writeKeyStore(Path file, String password) throws IOException, GeneralSecurityException {
            try (OutputStream out = Files.newOutputStream(file)) {
                keyStore(password).store(out, password.toCharArray());
            }
            return file;
        }
    }

    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestPki(String name) throws GeneralSecurityException, IOException {
        this.name = name;
        this.keys = newKeys();
        X500Name subject = new X500Name("CN=" + name);
        this.certificate = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), keys);
    }

    /** A new CA named {@code name}. */
    public static TestPki ca(String name) {
        try {
            return new TestPki(name);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("the test CA could not be made", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate for these DNS names (and, for names that are addresses, IP entries). */
    public Issued server(String... names) {
        return issue(names[0], List.of(names), KeyPurposeId.id_kp_serverAuth);
    }

    /** A client certificate for {@code commonName}. */
    public Issued client(String commonName) {
        return issue(commonName, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    /** Writes this CA's certificate as a PEM bundle. */
    public Path writeCertificate(Path file) throws IOException {
        Files.writeString(file, pem("CERTIFICATE", encoded(certificate)));
        return file;
    }

    /** An in-memory trust store with this CA. */
    public KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry(name, certificate);
        return store;
    }

    /** Writes a PKCS12 trust store with this CA. */
    public Path writeTrustStore(Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password.toCharArray());
        }
        return file;
    }

    private Issued issue(String commonName, List<String> names, KeyPurposeId purpose) {
        try {
            KeyPair leaf = newKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(), notBefore(), notAfter(),
                    new X500Name("CN=" + commonName), leaf.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!names.isEmpty()) {
                GeneralName[] alternatives = names.stream()
                        .map(n -> new GeneralName(n.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                                ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            }
            return new Issued(leaf, sign(builder, keys), certificate);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("the test certificate could not be made", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofHours(1)));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
