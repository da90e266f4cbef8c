package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.http.HttpConnectorDefinition;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Connector files are validated at start; errors name the file, the connector, the operation and the field. */
class ConnectorFilesTest {

    private final ConfigVariables variables = ConfigVariables.withStandardProviders();

    @AfterEach
    void close() {
        variables.close();
    }

    private List<ParsedConnector<?>> read(String yaml) {
        return ConnectorFiles.read(List.of(YamlFiles.parse("shop.yaml", yaml)), variables);
    }

    private static String http(String connectorExtra, String operation) {
        return """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example/api
                %s
                    operations:
                      getOrder:
                %s
                """.formatted(connectorExtra.indent(4).stripTrailing(), operation.indent(8).stripTrailing());
    }

    @Test
    void aCompleteHttpConnectorIsRead() {
        List<ParsedConnector<?>> connectors = read(http("""
                timeout: 2s
                retry: {maxAttempts: 4, initialBackoff: 50ms, maxBackoff: 1s}
                rateLimit: {limit: 50, period: 1s}
                concurrencyLimit: {maxConcurrent: 8}
                headers: {Accept-Language: en}
                """, """
                method: get
                path: /orders/{orderId}
                query: {customerId: "{customerId}"}
                cacheTtl: 30s
                response: {root: /order, fields: {status: /status}, required: [/status]}
                """));

        HttpConnectorDefinition definition = (HttpConnectorDefinition) connectors.get(0).definition();
        assertThat(definition.settings().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(definition.settings().retry().maxAttempts()).isEqualTo(4);
        assertThat(definition.settings().rateLimit()).hasValueSatisfying(limit -> assertThat(limit.limit()).isEqualTo(50));
        assertThat(definition.operations().get("getOrder").method()).isEqualTo("GET");
        assertThat(definition.operations().get("getOrder").url().parameters()).containsExactly("orderId", "customerId");
        assertThat(definition.endpoint().allowPrivateNetworks()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown connector key   | retries: 3                        | path: /x                   | shop.yaml: connectors[shop-api].retries: unknown key",
            "unknown operation key   | ''                                | {path: /x, verb: GET}      | shop.yaml: connectors[shop-api].operations[getOrder].verb: unknown key",
            "path without slash      | ''                                | path: orders               | shop.yaml: connectors[shop-api].operations[getOrder].path: 'orders' must start with '/'",
            "bad method              | ''                                | {path: /x, method: FETCH}  | shop.yaml: connectors[shop-api].operations[getOrder].method: 'FETCH' is not one of",
            "cached POST             | ''                                | {path: /x, method: POST, cacheTtl: 5s} | shop.yaml: connectors[shop-api].operations[getOrder].cacheTtl: only read-only",
            "body on GET             | ''                                | {path: /x, body: {a: b}}   | shop.yaml: connectors[shop-api].operations[getOrder].body: GET requests carry no body",
            "bad duration            | timeout: soon                     | path: /x                   | shop.yaml: connectors[shop-api].timeout: 'soon' is not a duration",
            "bad retry               | 'retry: {maxAttempts: 0}'         | path: /x                   | shop.yaml: connectors[shop-api].retry.maxAttempts: 0 is out of range",
            "bad pointer             | ''                                | '{path: /x, response: {required: [status]}}' | shop.yaml: connectors[shop-api].operations[getOrder].response.required: 'status' is not a JSON Pointer",
            "rate limit w/o limit    | 'rateLimit: {period: 1s}'         | path: /x                   | shop.yaml: connectors[shop-api].rateLimit.limit: is required",
            "unknown auth type       | 'auth: {type: kerberos}'          | path: /x                   | shop.yaml: connectors[shop-api].auth.type: 'kerberos' is not one of",
            "literal secret          | 'auth: {type: bearer, token: abc}' | path: /x                  | shop.yaml: connectors[shop-api].auth.token: a secret must come from a config provider",
            "missing env secret      | 'auth: {type: bearer, token: \"${env:PARLEY_NO_SUCH_VAR_42}\"}' | path: /x | shop.yaml: connectors[shop-api].auth.token",
            "reserved header         | 'headers: {Host: evil.example}'   | path: /x                   | shop.yaml: connectors[shop-api].headers.Host: the header Host is set by the worker",
            "bad placeholder         | ''                                | 'path: /orders/{order id}' | shop.yaml: connectors[shop-api].operations[getOrder].path:",
            "bad typed placeholder   | ''                                | '{path: /x, method: POST, body: {q: \"{n:float}\"}}' | shop.yaml: connectors[shop-api].operations[getOrder].body: at /q: unknown placeholder type 'float'"})
    void mistakesAreReportedWhereTheyAre(String mistake, String connectorExtra, String operation, String message) {
        assertThatThrownBy(() -> read(http(connectorExtra, operation)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void connectorEntriesAreChecked() {
        assertThatThrownBy(() -> read("connectors:\n  - {name: a, type: soap, operations: {x: {path: /x}}}"))
                .hasMessageStartingWith("shop.yaml: connectors[a].type: 'soap' is not one of [http, graphql, jdbc, redis, mongodb, llm]");
        assertThatThrownBy(() -> read("connectors:\n  - {name: a, type: http, baseUrl: https://x.example}"))
                .hasMessageStartingWith("shop.yaml: connectors[a].operations: at least one operation is required");
        assertThatThrownBy(() -> read("connectors:\n  - {name: a, type: http, baseUrl: 'ftp://x', operations: {x: {path: /x}}}"))
                .hasMessageStartingWith("shop.yaml: connectors[a].baseUrl: 'ftp://x' must start with http:// or https://");
        assertThatThrownBy(() -> read("connectors:\n  - {type: http, baseUrl: https://x.example, operations: {x: {path: /x}}}"))
                .hasMessageStartingWith("shop.yaml: connectors[0].name: is required");
        assertThatThrownBy(() -> read("connector:\n  - {name: a}"))
                .hasMessageStartingWith("shop.yaml: connector: unknown key");
        assertThatThrownBy(() -> read("connectors:\n  - name: a\n    name: b\n"))
                .hasMessageContaining("shop.yaml: not valid YAML: Duplicate field 'name'");
    }

    @Test
    void connectorNamesAreUniqueAcrossFiles() {
        String one = "connectors:\n  - {name: shop-api, type: http, baseUrl: https://x.example, operations: {x: {path: /x}}}";
        assertThatThrownBy(() -> ConnectorFiles.read(List.of(YamlFiles.parse("a.yaml", one), YamlFiles.parse("b.yaml", one)),
                variables))
                .hasMessage("b.yaml: connectors[shop-api].name: the connector name 'shop-api' is already used in a.yaml");
    }

    @Test
    void graphqlOperationsAreChecked() {
        String base = "connectors:\n  - {name: g, type: graphql, url: https://g.example/graphql, operations: {%s}}";
        assertThatThrownBy(() -> read(base.formatted("m: {query: 'mutation { cancel }', cacheTtl: 5s}")))
                .hasMessageStartingWith("shop.yaml: connectors[g].operations[m].cacheTtl: only queries may be cached");
        assertThatThrownBy(() -> read(base.formatted("q: {variables: {id: x}}")))
                .hasMessageStartingWith("shop.yaml: connectors[g].operations[q].query: is required");
        assertThat(read(base.formatted("q: {query: '{ order { id } }', cacheTtl: 5s}"))).hasSize(1);
    }

    @Test
    void redisConnectorsAreChecked() {
        String base = "connectors:\n  - {name: r, type: redis, url: '%s', operations: {%s}}";
        assertThatThrownBy(() -> read(base.formatted("http://cache:6379", "g: {command: get, key: k}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].url: must start with redis:// (or rediss:// for TLS)");
        assertThatThrownBy(() -> read(base.formatted("redis://user:pw@cache:6379", "g: {command: get, key: k}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].url: must not carry credentials");
        assertThatThrownBy(() -> read(base.formatted("redis://cache:6379/shop", "g: {command: get, key: k}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].url: the path is the database number");
        assertThatThrownBy(() -> read(base.formatted("redis://cache", "g: {command: keys, key: k}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].operations[g].command: 'keys' is not one of");
        assertThatThrownBy(() -> read(base.formatted("redis://cache", "g: {command: get, key: k, value: v}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].operations[g].value: unknown key");
        assertThatThrownBy(() -> read(base.formatted("redis://cache", "s: {command: set, key: k, value: v, cacheTtl: 5s}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].operations[s].cacheTtl: only reads may be cached");
        assertThatThrownBy(() -> read(base.formatted("redis://cache", "s: {command: script, script: 'return 1'}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].operations[s].keys: a script names at least one key");
        assertThatThrownBy(() -> read(base.formatted("redis://cache", "h: {command: hset, key: 'k:{id}'}")))
                .hasMessageStartingWith("shop.yaml: connectors[r].operations[h].fields: is required");
        assertThat(read(base.formatted("redis://cache:6380/2", "g: {command: get, key: 'greeting:{userId}', cacheTtl: 5s}")))
                .hasSize(1);
    }

    @Test
    void mongodbConnectorsAreChecked() {
        String base = "connectors:\n  - {name: m, type: mongodb, uri: '%s', database: shop, operations: {%s}}";
        assertThatThrownBy(() -> read(base.formatted("mongodb://u:pw@db:27017", "f: {command: find, collection: c}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].uri: must not carry credentials");
        assertThatThrownBy(() -> read(base.formatted("postgres://db", "f: {command: find, collection: c}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].uri: is not a MongoDB connection string");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db", "f: {command: findOne, collection: c}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].operations[f].filter: is required");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db", "f: {command: find, collection: 'system.users'}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].operations[f].collection: 'system.users' is not a collection name");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db", "u: {command: updateOne, collection: c, filter: {a: b}, set: {a: c}, cacheTtl: 5s}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].operations[u].cacheTtl: only reads may be cached");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db", "a: {command: aggregate, collection: c, pipeline: {a: b}}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].operations[a].pipeline: must be a list of stages");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db", "f: {command: find, collection: c, set: {a: b}}")))
                .hasMessageStartingWith("shop.yaml: connectors[m].operations[f].set: unknown key");
        assertThat(read(base.formatted("mongodb://db:27017", "f: {command: find, collection: carts, filter: {u: '{userId}'}}")))
                .hasSize(1);
    }

    @Test
    void mongodbTlsCannotBeContradictedOrLoosenedByTheUri() {
        String base = "connectors:\n  - {name: m, type: mongodb, uri: '%s', database: shop, %s"
                + "operations: {f: {command: find, collection: c}}}";
        assertThatThrownBy(() -> read(base.formatted("mongodb://db:27017/?tls=false", "tls: {minVersion: TLSv1.3}, ")))
                .hasMessageStartingWith("shop.yaml: connectors[m].tls: is set but the uri says tls=false");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db:27017/?tls=true&tlsAllowInvalidHostnames=true", "")))
                .hasMessageStartingWith("shop.yaml: connectors[m].uri: must not turn host name verification off");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db:27017/?tlsInsecure=true", "")))
                .hasMessageStartingWith("shop.yaml: connectors[m].uri: must not turn host name verification off");
        assertThatThrownBy(() -> read(base.formatted("mongodb://db:27017", "tls: {minVersion: TLSv1.1}, ")))
                .hasMessageStartingWith("shop.yaml: connectors[m].tls.minVersion: 'TLSv1.1' is not one of");
    }

    @Test
    void jdbcOperationsAreChecked() {
        String base = "connectors:\n  - {name: db, type: jdbc, jdbcUrl: 'jdbc:h2:mem:x', %s}";
        assertThatThrownBy(() -> read(base.formatted("operations: {u: {sql: 'UPDATE t SET a = 1', cacheTtl: 5s}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].operations[u].cacheTtl: only queries may be cached");
        assertThatThrownBy(() -> read(base.formatted("operations: {c: {sql: 'CALL purge()'}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].operations[c].sql: cannot tell whether a statement starting with 'CALL'");
        assertThatThrownBy(() -> read(base.formatted("operations: {q: {sql: 'SELECT 1 WHERE :a = 1', params: {b: integer}}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].operations[q].params.b: the statement has no parameter :b");
        assertThatThrownBy(() -> read(base.formatted("operations: {q: {sql: 'SELECT 1 WHERE :a = 1', params: {a: money}}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].operations[q].params.a: 'money' is not one of");
        assertThatThrownBy(() -> read(base.formatted("inboxTable: 'inbox; DROP TABLE x', operations: {q: {sql: 'SELECT 1'}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].inboxTable: 'inbox; DROP TABLE x' is not a valid table name");
        assertThatThrownBy(() -> read(base.formatted("password: hunter2, operations: {q: {sql: 'SELECT 1'}}")))
                .hasMessageStartingWith("shop.yaml: connectors[db].password: a secret must come from a config provider")
                .hasMessageNotContaining("hunter2");
    }
}
