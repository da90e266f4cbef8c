package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.runtime.ConfigVariables;
import io.parley.schemas.ConnectorCatalog;
import io.parley.worker.config.YamlFiles;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The catalog records built from connector definitions, without Kafka. */
class ConnectorCatalogsTest {

    private final ConfigVariables variables = ConfigVariables.withStandardProviders();
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @AfterEach
    void close() {
        variables.close();
    }

    private List<ConnectorCatalog> catalog(String yaml) {
        return ConnectorCatalogs.of(ConnectorFiles.read(List.of(YamlFiles.parse("shop.yaml", yaml)), variables), 3, NOW);
    }

    @Test
    void theDefinitionHashIgnoresKeyOrderButNotContent() {
        // Given the same connector written with its keys in another order, and one with another path
        String hash = catalog("connectors:\n  - {name: a, type: http, baseUrl: 'https://x.example', timeout: 2s,"
                + " operations: {x: {path: /x, method: GET}}}").get(0).getOperations().get(0).getDefinitionHash();
        String reordered = catalog("connectors:\n  - {timeout: 2s, operations: {x: {method: GET, path: /x}}, type: http,"
                + " baseUrl: 'https://x.example', name: a}").get(0).getOperations().get(0).getDefinitionHash();
        String otherPath = catalog("connectors:\n  - {name: a, type: http, baseUrl: 'https://x.example', timeout: 2s,"
                + " operations: {x: {path: /y, method: GET}}}").get(0).getOperations().get(0).getDefinitionHash();
        String otherTimeout = catalog("connectors:\n  - {name: a, type: http, baseUrl: 'https://x.example', timeout: 3s,"
                + " operations: {x: {path: /x, method: GET}}}").get(0).getOperations().get(0).getDefinitionHash();

        // Then only the changes of content change it
        assertThat(hash).hasSize(64).isEqualTo(reordered).isNotEqualTo(otherPath).isNotEqualTo(otherTimeout);
    }

    @Test
    void aMongoOperationListsItsTypedParametersAndTheSchemaFields() {
        // When a mongodb connector with a schema on one operation is described
        ConnectorCatalog mongo = catalog("""
                connectors:
                  - name: docs
                    type: mongodb
                    uri: mongodb://db:27017
                    database: shop
                    operations:
                      getCart:
                        command: findOne
                        collection: carts
                        filter: {userId: "{userId}", store: "{store:int}"}
                        response: {schema: {type: object, properties: {items: {type: array}}}}
                """).get(0);

        // Then the record names the kind, the version, the parameters and the fields
        assertThat(mongo.getType()).isEqualTo("mongodb");
        assertThat(mongo.getDefinitionsVersion()).isEqualTo(3);
        assertThat(mongo.getPublishedAt()).isEqualTo(NOW);
        assertThat(mongo.getSourceFile()).isEqualTo("shop.yaml");
        assertThat(mongo.getOperations()).singleElement().satisfies(operation -> {
            assertThat(operation.getName()).isEqualTo("getCart");
            assertThat(operation.getVersion()).isNull();
            assertThat(operation.getIsDefault()).isFalse();
            assertThat(operation.getParameters()).containsExactly("store", "userId");
            assertThat(operation.getResultFields()).containsExactly("items");
        });
    }
}
