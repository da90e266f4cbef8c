package io.parley.e2e.load;

import static org.awaitility.Awaitility.await;

import io.parley.e2e.env.Pipeline;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One run of a {@link LoadPlan} through a pipeline: users sending their messages, a channel
 * reading replies, and at the end the {@link ExactlyOnceVerdict}.
 */
public final class LoadRun implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final LoadPlan plan;
    private final ReplyLedger ledger = new ReplyLedger();
    private final ChatChannel channel;
    private final ConversationDriver driver;
    private final ReplyReader replies;
    private final TopicTail<BackendRequest> requests;
    private final TopicTail<BackendResponse> responses;
    private final Admin admin;
    private final Settled settled;

    private LoadRun(Pipeline pipeline, LoadPlan plan, int concurrency) {
        this.plan = plan;
        Topics topics = pipeline.topics();
        String bootstrap = pipeline.kafka().bootstrapServers();
        this.channel = new ChatChannel(bootstrap, topics.chatEvents(), Clock.systemUTC());
        this.driver = new ConversationDriver(plan, channel, ledger, concurrency);
        this.replies = new ReplyReader(bootstrap, topics.replies(Pipeline.REPLY_TOPIC), reply -> {
            ledger.record(reply);
            driver.onReply(reply);
        });
        // Malformed records (the chaos tests inject some) are the pipeline's to dead-letter; the tails skip them.
        this.requests = new TopicTail<>(bootstrap, topics.backendRequests().name(),
                new SkippingDeserializer<>(topics.backendRequests().valueSerde().deserializer()));
        this.responses = new TopicTail<>(bootstrap, topics.backendResponses().name(),
                new SkippingDeserializer<>(topics.backendResponses().valueSerde().deserializer()));
        this.admin = pipeline.kafka().admin();
        this.settled = new Settled(admin, Pipeline.APPLICATION_ID,
                List.of(topics.chatEvents().name(), topics.backendResponses().name()), requests, responses, replies);
    }

    /**
     * Starts sending: {@code concurrency} conversations at a time.
     */
    public static LoadRun start(Pipeline pipeline, LoadPlan plan, int concurrency) {
        LoadRun run = new LoadRun(pipeline, plan, concurrency);
        run.replies.start();
        run.driver.start();
        return run;
    }

    /** Conversations whose every message has its concluding reply. */
    public int finishedConversations() {
        return driver.finishedConversations();
    }

    /**
     * Waits until every conversation is finished and the pipeline has settled, then judges. When
     * the load does not finish in time, the verdict says which events lack their reply.
     *
     * @throws AssertionError when the load finished but the pipeline did not settle (a request never answered)
     */
    public ExactlyOnceVerdict finish(Duration loadTimeout, Duration settleTimeout) {
        try {
            await().atMost(loadTimeout).pollInterval(POLL).until(driver::isFinished);
        } catch (ConditionTimeoutException e) {
            return verdict();
        }
        try {
            await().atMost(settleTimeout).pollInterval(POLL).until(settled::check);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Every message was answered, but the pipeline did not settle within " + settleTimeout
                    + ": " + settled.describe(), e);
        }
        return verdict();
    }

    public ExactlyOnceVerdict verdict() {
        return ExactlyOnceVerdict.of(plan, ledger, driver.sentEvents());
    }

    /** Backend requests and responses as the settled pipeline holds them. */
    public Settled settled() {
        return settled;
    }

    @Override
    public void close() {
        replies.close();
        channel.close();
        requests.close();
        responses.close();
        admin.close();
    }
}
