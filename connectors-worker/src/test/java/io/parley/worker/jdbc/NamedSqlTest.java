package io.parley.worker.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void namedParametersBecomePlaceholdersInOrder() {
        NamedSql sql = NamedSql.parse("SELECT * FROM orders WHERE customer_id = :customerId AND id = :orderId OR id = :orderId");

        assertThat(sql.jdbc()).isEqualTo("SELECT * FROM orders WHERE customer_id = ? AND id = ? OR id = ?");
        assertThat(sql.parameters()).containsExactly("customerId", "orderId", "orderId");
        assertThat(sql.firstKeyword()).isEqualTo("SELECT");
    }

    @Test
    void colonsInLiteralsCommentsAndCastsAreNotParameters() {
        NamedSql sql = NamedSql.parse("""
                -- note: :notAParameter
                /* :nor :this */ UPDATE t SET note = 'at 10:30 :x ''quoted''', "col:umn" = :value::text WHERE id = :id""");

        assertThat(sql.parameters()).containsExactly("value", "id");
        assertThat(sql.jdbc()).endsWith("UPDATE t SET note = 'at 10:30 :x ''quoted''', \"col:umn\" = ?::text WHERE id = ?");
        assertThat(sql.firstKeyword()).isEqualTo("UPDATE");
    }

    @Test
    void unclosedLiteralsAreRefused() {
        assertThatThrownBy(() -> NamedSql.parse("SELECT 'open")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> NamedSql.parse("SELECT /* open")).hasMessageContaining("not closed");
    }
}
