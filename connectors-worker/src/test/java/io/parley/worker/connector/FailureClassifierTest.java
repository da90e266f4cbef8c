package io.parley.worker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void aTimeoutDeepInTheCauseChainIsARetriableTimeout() {
        Failure failure = FailureClassifier.classify(new CompletionException(new ExecutionException(
                new HttpTimeoutException("request timed out"))));

        assertThat(failure.status()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(failure.retriable()).isTrue();
    }

    @Test
    void brokenConnectionsAreRetriableServerErrors() {
        assertThat(FailureClassifier.classify(new UncheckedIOException(new ConnectException("refused"))))
                .satisfies(f -> assertThat(f.retriable()).isTrue())
                .satisfies(f -> assertThat(f.status()).isEqualTo(BackendStatus.SERVER_ERROR));
        assertThat(FailureClassifier.classify(new SocketException("Connection reset")).retriable()).isTrue();
    }

    @Test
    void aPlainIOExceptionWrappingTheRealCauseDoesNotHideIt() {
        // How the JDK HTTP client's send() reports what went wrong inside the exchange.
        Failure oversized = FailureClassifier.classify(new java.io.IOException("wrapped", new ResponseTooLargeException(1024)));
        Failure certificate = FailureClassifier.classify(new java.io.IOException("wrapped", new SSLHandshakeException("PKIX path")));

        assertThat(oversized.status()).isEqualTo(BackendStatus.REJECTED);
        assertThat(oversized.retriable()).isFalse();
        assertThat(certificate.retriable()).isFalse();
    }

    @Test
    void certificateProblemsAreNotRetried() {
        Failure failure = FailureClassifier.classify(new RuntimeException(new SSLHandshakeException("PKIX path")));

        assertThat(failure.retriable()).isFalse();
        assertThat(failure.status()).isEqualTo(BackendStatus.SERVER_ERROR);
    }

    @Test
    void databaseAuthenticationFailuresAreNeverRetried() {
        Failure failure = FailureClassifier.classify(new RuntimeException(
                new SQLException("password authentication failed for user \"shop\"", "28P01")));

        assertThat(failure.status()).isEqualTo(BackendStatus.UNAUTHORIZED);
        assertThat(failure.retriable()).isFalse();
        assertThat(failure.message()).doesNotContain("shop");
    }

    @Test
    void databaseStatesAreClassifiedBySqlState() {
        assertThat(FailureClassifier.classify(new SQLException("conn", "08006")).retriable()).isTrue();
        assertThat(FailureClassifier.classify(new SQLException("serialization", "40001")).retriable()).isTrue();
        assertThat(FailureClassifier.classify(new SQLException("canceled", "57014")).status()).isEqualTo(BackendStatus.TIMEOUT);
        Failure duplicate = FailureClassifier.classify(new SQLException("duplicate key", "23505"));
        assertThat(duplicate.status()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(duplicate.retriable()).isFalse();
        Failure badSql = FailureClassifier.classify(new SQLException("syntax error", "42601"));
        assertThat(badSql.status()).isEqualTo(BackendStatus.SERVER_ERROR);
        assertThat(badSql.retriable()).isFalse();
    }

    @Test
    void anOversizedAnswerIsRejectedNotRetried() {
        Failure failure = FailureClassifier.classify(new RuntimeException(new ResponseTooLargeException(1024)));

        assertThat(failure.status()).isEqualTo(BackendStatus.REJECTED);
        assertThat(failure.retriable()).isFalse();
    }
}
