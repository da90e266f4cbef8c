package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.SchemaRegistryException;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    private static final Schema V2_WITH_DEFAULT = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                    + "{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}");
    private static final Schema V2_WITHOUT_DEFAULT = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                    + "{\"name\":\"b\",\"type\":\"int\"}]}");

    private final String scope = "registry-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);

    @AfterEach
    void drop() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void idsAreGlobalAndVersionsCountPerSubject() {
        int first = registry.register("a-value", V1);
        int again = registry.register("b-value", V1);
        int second = registry.register("a-value", V2_WITH_DEFAULT);

        assertThat(again).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(registry.versions("a-value")).containsExactly(1, 2);
        assertThat(registry.latest("a-value").id()).isEqualTo(second);
        assertThat(registry.byId(first)).isEqualTo(V1);
        assertThat(registry.subjects()).containsExactly("a-value", "b-value");
    }

    @Test
    void registeringTheSameSchemaTwiceKeepsOneVersion() {
        registry.register("a-value", V1);
        registry.register("a-value", V1);

        assertThat(registry.versions("a-value")).containsExactly(1);
    }

    @Test
    void anIncompatibleVersionIsRefusedLikeTheRegistryDoes() {
        registry.register("a-value", V1);

        assertThatThrownBy(() -> registry.register("a-value", V2_WITHOUT_DEFAULT))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("incompatible")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
    }

    @Test
    void unknownSubjectsAndIdsAreNotFound() {
        assertThatThrownBy(() -> registry.latest("nope-value"))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.byId(99))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
    }
}
