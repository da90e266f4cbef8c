package io.parley.bench.pipeline;

/**
 * The factory of this build: the processor and the worker cannot be embedded yet, so S2, S3
 * and S5 report their targets as not run instead of inventing figures.
 */
public final class NotYetEmbeddablePipeline implements PipelineFactory {

    @Override
    public String description() {
        return "none: Parley's processor and worker are not embeddable in this build";
    }

    @Override
    public PipelineUnderTest start(PipelineConfig config) throws PipelineUnavailableException {
        throw new PipelineUnavailableException(
                "the processor and the worker have no embeddable API in this build yet (bench phase 2 plugs them in)");
    }
}
