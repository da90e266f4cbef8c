package io.parley.worker.connector;

/** The kinds of backend a connector reaches; written in lower case in connector files. */
public enum ConnectorType {
    /** A REST/JSON API over HTTP(S). */
    HTTP,
    /** A GraphQL API: a query and its variables posted as JSON. */
    GRAPHQL,
    /** A SQL database through JDBC (PostgreSQL, H2). */
    JDBC,
    /** A Redis server: strings, hashes, counters, sorted sets and Lua scripts. */
    REDIS,
    /** A MongoDB database: find, insert, update and fixed aggregation pipelines. */
    MONGODB,
    /** A language model behind the OpenAI-compatible chat-completions API: intent extraction and reply phrasing. */
    LLM
}
