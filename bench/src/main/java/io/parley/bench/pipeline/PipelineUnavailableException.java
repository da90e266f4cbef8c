package io.parley.bench.pipeline;

/** This build cannot start the pipeline; the scenarios that need it are reported as not run. */
public final class PipelineUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public PipelineUnavailableException(String message) {
        super(message);
    }
}
