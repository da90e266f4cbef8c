package io.parley.processor.nlu;

/**
 * When the built-in classifier's best guess is taken: at or above {@code accept} it is the
 * intent; from {@code ask} up to {@code accept} the user is asked which of the top intents they
 * meant; below {@code ask} the message is not understood.
 */
public record Confidence(double accept, double ask) {

    public static final Confidence DEFAULTS = new Confidence(0.6, 0.3);

    public Confidence {
        if (!(ask >= 0 && ask <= accept && accept <= 1)) {
            throw new IllegalArgumentException("0 <= ask <= accept <= 1 does not hold for ask " + ask + ", accept " + accept);
        }
    }
}
