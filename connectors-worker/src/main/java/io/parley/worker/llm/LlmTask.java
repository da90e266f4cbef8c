package io.parley.worker.llm;

/** What an {@code llm} operation asks the model to do; written in lower case in connector files. */
public enum LlmTask {
    /**
     * Intent and slot extraction: the answer is constrained by a JSON Schema built from the allowed
     * intents and slots the request names.
     */
    CLASSIFY,
    /** A reply phrased from backend results, checked to use only facts the results hold. */
    PHRASE
}
