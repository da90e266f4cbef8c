package io.parley.processor.encryption;

import org.apache.kafka.common.errors.SerializationException;

/** A session value could not be sealed or opened. The message names the key id and conversation, never a value. */
public final class SealingException extends SerializationException {

    private static final long serialVersionUID = 1L;

    SealingException(String message) {
        super(message);
    }
}
