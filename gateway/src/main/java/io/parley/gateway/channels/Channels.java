package io.parley.gateway.channels;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.gateway.chat.ChatEventPublisher;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.topics.Topics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic webhook/REST channels and platform adapters of one gateway, built from their settings in one pass: the
 * inbound checks, the reply readers, the callback senders or long-poll mailboxes, and the HTTP
 * handler the gateway's server mounts under {@code /channels/}.
 */
public final class Channels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);
    private static final int MAILBOX_CONVERSATIONS = 100_000;

    private final ChannelsHandler handler;
    private final List<ChannelReplies> readers;
    private final DeadLetters deadLetters;
    private final ScheduledExecutorService timer;
    private final InboundLedger ledger;

    private Channels(ChannelsHandler handler, List<ChannelReplies> readers, DeadLetters deadLetters,
                     ScheduledExecutorService timer, InboundLedger ledger) {
        this.handler = handler;
        this.ledger = ledger;
        this.readers = readers;
        this.deadLetters = deadLetters;
        this.timer = timer;
    }

    /** Starts the channels' reply readers; returns once each reads its topic. Null when there are no channels. */
    public static Channels start(List<ChannelDefinition> settings, Topics topics, Map<String, Object> kafka,
                                 ChatEventPublisher publisher, MeterRegistry registry, Clock clock)
            throws InterruptedException {
        return start(settings, topics, kafka, publisher, registry, clock, UserReferences.plain());
    }

    /**
     * @param users how the audit records of undeliverable replies refer to users: as the processor does
     *     ({@code audit:} section, the same key)
     */
    public static Channels start(List<ChannelDefinition> settings, Topics topics, Map<String, Object> kafka,
                                 ChatEventPublisher publisher, MeterRegistry registry, Clock clock, UserReferences users)
            throws InterruptedException {
        if (settings.isEmpty()) {
            return null;
        }
        ChannelMetrics metrics = new ChannelMetrics(registry);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-channels-timer");
            t.setDaemon(true);
            return t;
        });
        DeadLetters deadLetters = new DeadLetters(topics.deadLetters(), topics.audit(), kafka);
        Settle settle = new Settle(deadLetters, new DeliveryAudit(users, new Redactor()), metrics, clock);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Map<String, Inbound> inbound = new HashMap<>();
        Map<String, TelegramInbound> telegram = new HashMap<>();
        Map<String, SlackInbound> slack = new HashMap<>();
        Map<String, ReplyMailbox> mailboxes = new HashMap<>();
        Map<String, WhatsAppInbound> whatsapp = new HashMap<>();
        Map<String, TeamsInbound> teams = new HashMap<>();
        List<ChannelReplies> readers = new ArrayList<>();
        InboundLedger ledger = ledger(settings, topics, kafka, clock);
        try {
            if (ledger != null) {
                ledger.start(Duration.ofSeconds(30));
            }
            for (ChannelDefinition definition : settings) {
                if (definition instanceof WhatsAppSettings w) {
                    whatsapp.put(w.name(), new WhatsAppInbound(w, clock));
                    WhatsAppSender sender = new WhatsAppSender(w, ledger, http, clock, d -> Thread.sleep(d.toMillis()));
                    readers.add(new ChannelReplies(w.name(), true, Duration.ZERO, topics.replies(w.replyTopic()), kafka,
                            (reply, record) -> settle.apply(w.name(), sender.deliver(reply), reply, record),
                            deadLetters, metrics, clock));
                    continue;
                }
                if (definition instanceof TeamsSettings m) {
                    teams.put(m.name(), new TeamsInbound(m, new TeamsAuth(m.openIdMetadataUrl(), m.appId(), http, clock),
                            clock));
                    TeamsSender sender = new TeamsSender(m, ledger, http, clock, d -> Thread.sleep(d.toMillis()));
                    readers.add(new ChannelReplies(m.name(), true, Duration.ZERO, topics.replies(m.replyTopic()), kafka,
                            (reply, record) -> settle.apply(m.name(), sender.deliver(reply), reply, record),
                            deadLetters, metrics, clock));
                    continue;
                }
                if (definition instanceof TelegramSettings t) {
                    telegram.put(t.name(), new TelegramInbound(t, clock));
                    TelegramSender sender = new TelegramSender(t, http, d -> Thread.sleep(d.toMillis()));
                    readers.add(new ChannelReplies(t.name(), true, Duration.ZERO, topics.replies(t.replyTopic()), kafka,
                            (reply, record) -> settle.apply(t.name(), sender.deliver(reply), reply, record),
                            deadLetters, metrics, clock));
                    continue;
                }
                if (definition instanceof SlackSettings a) {
                    slack.put(a.name(), new SlackInbound(a, clock));
                    SlackSender sender = new SlackSender(a, http, d -> Thread.sleep(d.toMillis()));
                    readers.add(new ChannelReplies(a.name(), true, Duration.ZERO, topics.replies(a.replyTopic()), kafka,
                            (reply, record) -> settle.apply(a.name(), sender.deliver(reply), reply, record),
                            deadLetters, metrics, clock));
                    continue;
                }
                ChannelSettings s = (ChannelSettings) definition;
                inbound.put(s.name(), new Inbound(s, clock));
                ChannelReplies.Handler onReply;
                if (s.callsBack()) {
                    CallbackSender sender = new CallbackSender(s, http, clock, d -> Thread.sleep(d.toMillis()));
                    onReply = (reply, record) -> settle.apply(s.name(),
                            sender.deliver(reply.getReplyId(), ReplyJson.bytes(reply, s.name())), reply, record);
                } else {
                    ReplyMailbox mailbox = new ReplyMailbox(s.repliesPerConversation(), MAILBOX_CONVERSATIONS,
                            s.keepReplies(), clock, timer);
                    mailboxes.put(s.name(), mailbox);
                    onReply = (reply, record) -> {
                        mailbox.add(reply);
                        metrics.delivery(s.name(), "held");
                    };
                }
                readers.add(new ChannelReplies(s.name(), s.callsBack(), s.keepReplies(), topics.replies(s.replyTopic()),
                        kafka, onReply, deadLetters, metrics, clock));
            }
            InboundLedger known = ledger;
            Channels channels = new Channels(new ChannelsHandler(inbound, telegram, slack, whatsapp, teams, mailboxes,
                    publisher, metrics, event -> {
                        if (known != null && (whatsapp.containsKey(event.getChannel())
                                || teams.containsKey(event.getChannel()))) {
                            known.record(event);
                        }
                    }), readers, deadLetters, timer, ledger);
            for (ChannelReplies reader : readers) {
                reader.start(Duration.ofSeconds(30));
            }
            return channels;
        } catch (InterruptedException | RuntimeException e) {
            new Channels(null, readers, deadLetters, timer, ledger).close();
            throw e;
        }
    }

    /** The ledger of last inbound messages, when a WhatsApp or Teams channel needs it; reads back as far as they need. */
    private static InboundLedger ledger(List<ChannelDefinition> settings, Topics topics, Map<String, Object> kafka,
                                        Clock clock) {
        java.util.Set<String> names = new java.util.HashSet<>();
        Duration lookback = Duration.ZERO;
        for (ChannelDefinition d : settings) {
            if (d instanceof WhatsAppSettings) {
                names.add(d.name());
                lookback = lookback.compareTo(WhatsAppSettings.SERVICE_WINDOW) < 0 ? WhatsAppSettings.SERVICE_WINDOW : lookback;
            } else if (d instanceof TeamsSettings) {
                names.add(d.name());
                lookback = lookback.compareTo(TeamsSettings.REMEMBER) < 0 ? TeamsSettings.REMEMBER : lookback;
            }
        }
        return names.isEmpty() ? null : new InboundLedger(names, lookback, topics.chatEvents(), kafka, clock);
    }

    /** What becomes of a reply once its channel is done with it: counted as delivered, or dead-lettered and audited. */
    private record Settle(DeadLetters deadLetters, DeliveryAudit audit, ChannelMetrics metrics, Clock clock) {

        void apply(String channel, RetryingPost.Outcome outcome, io.parley.schemas.ChatReply reply,
                   ConsumerRecord<byte[], byte[]> record) {
            if (outcome.delivered()) {
                metrics.delivery(channel, "delivered");
                return;
            }
            // Never lost: the reply as read goes to the dead-letter topic, its UNDELIVERABLE record to the audit
            // topic, and the log says which and why (no text, no user).
            LOG.warn("channel {}: reply {} of {}-{} offset {} not delivered after {} attempts ({}); written to {} and {}",
                    channel, reply.getReplyId(), record.topic(), record.partition(), record.offset(), outcome.attempts(),
                    outcome.last(), deadLetters.topicName(), deadLetters.auditTopicName());
            // Not attempted at all (outside WhatsApp's window without a template, a Teams conversation without a
            // known serviceUrl): the reason alone.
            String reason = outcome.attempts() == 0 ? "not delivered: " + outcome.last()
                    : "delivery failed after " + outcome.attempts() + " attempts: " + outcome.last();
            deadLetters.undeliverable(channel, record, reason,
                    audit.undeliverable(channel, reply, outcome.attempts(), reason, clock.instant()));
            metrics.delivery(channel, "dead_lettered");
        }
    }

    /** The HTTP routes under {@code /channels/}. */
    public ChannelsHandler handler() {
        return handler;
    }

    /** Whether every channel reads its reply topic. */
    public boolean isRunning() {
        return readers.stream().allMatch(ChannelReplies::isRunning) && (ledger == null || ledger.isRunning());
    }

    @Override
    public void close() {
        readers.forEach(ChannelReplies::close);
        if (ledger != null) {
            ledger.close();
        }
        deadLetters.close();
        timer.shutdownNow();
    }
}
