package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.serde.registry.CompatibilityLevel;
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

    @Test
    void theSubjectsLevelDecidesWhatMayFollowAndNoneAllowsAnything() {
        registry.register("a-value", V1);
        registry.setSubjectCompatibility("a-value", CompatibilityLevel.FORWARD);

        // Forward: readers of V1 ignore the new field, so a field without a default may be added.
        registry.register("a-value", V2_WITHOUT_DEFAULT);

        assertThat(registry.versions("a-value")).containsExactly(1, 2);
        assertThat(registry.compatibilityOf("b-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        assertThat(registry.incompatibilities("b-value", V1)).isEmpty();
    }

    @Test
    void aSoftDeletedVersionIsSkippedButItsIdStaysReadable() {
        int id = registry.register("a-value", V1);
        registry.register("a-value", V2_WITH_DEFAULT);

        assertThat(registry.deleteVersion("a-value", 1, false)).isEqualTo(1);

        assertThat(registry.versions("a-value")).containsExactly(2);
        assertThat(registry.versions("a-value", true)).containsExactly(1, 2);
        assertThat(registry.findUnder("a-value", V1)).isEmpty();
        assertThat(registry.findUnder("a-value", V1, true)).isPresent();
        assertThat(registry.byId(id)).isEqualTo(V1);
        assertThatThrownBy(() -> registry.deleteVersion("a-value", 1, false))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40406));
    }

    @Test
    void aSoftDeletedSubjectIsGoneFromLookUpsUntilRegisteredAgain() {
        registry.register("a-value", V1);

        assertThat(registry.deleteSubject("a-value", false)).containsExactly(1);

        assertThat(registry.subjects()).isEmpty();
        assertThat(registry.subjects(true)).containsExactly("a-value");
        assertThatThrownBy(() -> registry.latest("a-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        registry.register("a-value", V1);
        assertThat(registry.latest("a-value").version()).isEqualTo(2);
    }
}
