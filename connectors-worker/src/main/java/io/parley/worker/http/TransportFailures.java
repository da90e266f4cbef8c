package io.parley.worker.http;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Says what went wrong when a connection could not be made, in words an operator can act on:
 * which TLS check failed (trust, host name, client certificate, version) or what the proxy said.
 * The JDK tells these apart only by exception type and message, so those are read here; the
 * messages produced name the setting to look at, never a credential.
 */
final class TransportFailures {

    private TransportFailures() {
    }

    /**
     * @param host the host the call was for (named in a host name mismatch)
     * @param tls the connector's TLS settings (the minimum version is named)
     * @param viaProxy whether the call went through the connector's proxy
     */
    static Failure classify(IOException failure, String host, TlsSettings tls, boolean viaProxy) {
        return tlsFailure(failure, host, tls)
                .or(() -> viaProxy ? proxyFailure(failure) : Optional.empty())
                .orElseGet(() -> FailureClassifier.classify(failure));
    }

    private static Optional<Failure> tlsFailure(Throwable failure, String host, TlsSettings tls) {
        if (!inChain(failure, SSLException.class)) {
            return Optional.empty();
        }
        String messages = messages(failure);
        String reason;
        if (inChain(failure, CertPathBuilderException.class) || inChain(failure, CertPathValidatorException.class)
                || messages.contains("pkix path")) {
            reason = "the server's certificate is not signed by a CA the connector trusts (tls.caFile or tls.trustStore)";
        } else if (inChain(failure, CertificateException.class)
                && (messages.contains("subject alternative") || messages.contains("no name matching"))) {
            reason = "the server's certificate does not name the host " + host;
        } else if (messages.contains("protocol_version") || messages.contains("no appropriate protocol")
                || messages.contains("protocol is disabled")) {
            reason = "the server and the connector share no TLS version (the connector's minimum is " + tls.minVersion() + ")";
        } else if (messages.contains("certificate_required") || messages.contains("bad_certificate")
                || messages.contains("unknown_ca") || messages.contains("certificate_unknown")) {
            reason = tls.mutual()
                    ? "the server refused the connector's client certificate (tls.clientCert or tls.keyStore)"
                    : "the server wants a client certificate (mTLS); set tls.clientCert and tls.clientKey or tls.keyStore";
        } else {
            return Optional.of(FailureClassifier.classify(failure));
        }
        // A certificate or version that does not fit will not fit on the next attempt either.
        return Optional.of(Failure.permanent(BackendStatus.SERVER_ERROR, "TLS failure: " + reason));
    }

    /** The proxy answered 407 to the tunnel request. */
    static Failure proxyRefusedCredentials() {
        return Failure.permanent(BackendStatus.SERVER_ERROR,
                "the proxy refused the connector's credentials, or wants some (proxy.username, proxy.password)");
    }

    private static Optional<Failure> proxyFailure(Throwable failure) {
        String messages = messages(failure);
        if (messages.contains("407") || messages.contains("proxy authentication")) {
            return Optional.of(proxyRefusedCredentials());
        }
        if (messages.contains("tunnel failed")) {
            return Optional.of(Failure.retriable(BackendStatus.SERVER_ERROR, "the proxy did not open a tunnel to the backend"));
        }
        return Optional.empty();
    }

    private static boolean inChain(Throwable failure, Class<? extends Throwable> type) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The chain's messages, lower case, for matching only: they are never put in a reply. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                all.append(cause.getMessage().toLowerCase(Locale.ROOT)).append('\n');
            }
        }
        return all.toString();
    }
}
