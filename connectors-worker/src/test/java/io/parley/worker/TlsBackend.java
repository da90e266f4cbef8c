package io.parley.worker;

import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real TLS backend (Jetty 12) on 127.0.0.1 offering HTTP/2 and HTTP/1.1 by ALPN. It answers every
 * request with {@code {"status": "OK", "protocol": "HTTP/2.0"}} and records the protocol and the
 * client certificate's subject of each request it served.
 */
public final class TlsBackend implements AutoCloseable {

    /** How the server's TLS is set up. */
    public record Options(TestPki.Issued certificate, List<String> protocols, KeyStore clientTrust) {

        public static Options of(TestPki.Issued certificate) {
            return new Options(certificate, List.of(), null);
        }

        /** Only these TLS versions. */
        public Options onlyProtocols(String... versions) {
            return new Options(certificate, List.of(versions), clientTrust);
        }

        /** Requires a client certificate signed by a CA in {@code trust} (mTLS). */
        public Options requireClientCertificate(KeyStore trust) {
            return new Options(certificate, protocols, trust);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final List<String> clients = new CopyOnWriteArrayList<>();
    private final List<String> headerNames = new CopyOnWriteArrayList<>();

    private TlsBackend(Options options) throws Exception {
        server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(options.certificate().keyStore("server-pass"));
        tls.setKeyStorePassword("server-pass");
        if (!options.protocols().isEmpty()) {
            tls.setIncludeProtocols(options.protocols().toArray(String[]::new));
        }
        if (options.clientTrust() != null) {
            tls.setNeedClientAuth(true);
            tls.setTrustStore(options.clientTrust());
        }
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2,
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String protocol = request.getConnectionMetaData().getHttpVersion().asString();
                protocols.add(protocol);
                request.getHeaders().getFieldNamesCollection().forEach(headerNames::add);
                if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData session
                        && session.peerCertificates() != null && session.peerCertificates().length > 0) {
                    clients.add(session.peerCertificates()[0].getSubjectX500Principal().getName());
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                Content.Sink.write(response, true, "{\"status\": \"OK\", \"protocol\": \"" + protocol + "\"}", callback);
                return true;
            }
        });
        server.start();
    }

    public static TlsBackend start(Options options) {
        try {
            return new TlsBackend(options);
        } catch (Exception e) {
            throw new IllegalStateException("the TLS backend did not start", e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The HTTP version of each request served. */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** The names of every header received. */
    public List<String> headerNames() {
        return List.copyOf(headerNames);
    }

    /** The client certificate subject of each request that presented one. */
    public List<String> clientSubjects() {
        return List.copyOf(clients);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop", e);
        }
    }
}
