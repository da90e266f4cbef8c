package io.parley.serde.registry;

import org.apache.avro.Schema;

/**
 * The part of the Schema Registry REST API that serializers and deserializers use.
 * Implementations throw {@link SchemaRegistryException} with a message that says what went wrong.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of a schema already registered under the subject, without registering it. */
    int idOf(String subject, Schema schema);

    /** Returns the latest version registered under the subject. */
    RegisteredSchema latest(String subject);

    /** Returns the schema with the given global id. */
    Schema byId(int id);
}
