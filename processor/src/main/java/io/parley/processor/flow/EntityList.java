package io.parley.processor.flow;

import java.util.List;

/**
 * Values a slot can take, each with the phrases that name it ({@code entities: {product: [{value: MUG-01,
 * synonyms: [blue mug, mug]}]}}).
 *
 * @param name the entity's name, as slots name it ({@code entity: product})
 * @param values the values with their synonyms, in file order
 */
public record EntityList(String name, List<Value> values) {

    public EntityList {
        values = List.copyOf(values);
    }

    /** A value and the phrases that name it (the value itself names it too). */
    public record Value(String value, List<String> synonyms) {

        public Value {
            synonyms = List.copyOf(synonyms);
        }
    }
}
