package io.parley.processor.flow;

/**
 * A template could not produce a reply at render time (it failed, or rendered nothing).
 * The message names the template's place in the flow files, never the data it was rendering.
 */
public final class TemplateRenderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemplateRenderException(String message, Throwable cause) {
        super(message, cause);
    }

    public TemplateRenderException(String message) {
        super(message);
    }
}
