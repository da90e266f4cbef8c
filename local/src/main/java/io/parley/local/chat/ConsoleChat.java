package io.parley.local.chat;

import io.parley.local.chat.ChatCommand.Erase;
import io.parley.local.chat.ChatCommand.Help;
import io.parley.local.chat.ChatCommand.Notify;
import io.parley.local.chat.ChatCommand.Quit;
import io.parley.local.chat.ChatCommand.Say;
import io.parley.local.chat.ChatSender.ChatSendException;
import io.parley.local.chat.ReplyInbox.Expectation;
import io.parley.local.chat.ReplyInbox.Outcome;
import io.parley.demo.DemoStock;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A chat channel in the terminal. Each line typed becomes a {@code ChatEvent} on the chat events
 * topic (keyed by conversation id); replies for the conversation, and notifications for the
 * user, are printed as they arrive with their kind. It talks to Kafka only, as any channel does.
 *
 * <p>{@link Mode#INTERACTIVE}: asks for the user id, shows a prompt, prints replies whenever
 * they come. {@link Mode#SCRIPTED} (standard input is not a terminal): uses the default user id,
 * echoes each line, waits until the replies to it have settled — its final reply arrived, or for
 * events that may get none a quiet period passed — and exits at the end of the input, so a
 * script can drive it.
 */
public final class ConsoleChat implements AutoCloseable {

    /** Every message was answered (scripted mode), or the user left (interactive mode). */
    public static final int EXIT_OK = 0;
    /** Scripted mode: a message got no final reply in time, or could not be sent. */
    public static final int EXIT_UNANSWERED = 1;

    /** How long {@code /stock} and {@code /row} wait for a table's topic to be read or looked up. */
    static final Duration TABLE_READ_TIMEOUT = Duration.ofSeconds(15);

    /** How the console reads its input. */
    public enum Mode { INTERACTIVE, SCRIPTED }

    private final ConsoleChatSettings settings;
    private final BufferedReader in;
    private final PrintWriter out;
    private final Clock clock;
    private final Mode mode;
    private final Supplier<String> ids;
    private final ReplyInbox inbox;
    /** The Kafka clients of a running chat, for {@link #close()}; guarded by itself. */
    private final List<AutoCloseable> connection = new ArrayList<>();
    private boolean closed;
    private String prompt = "> ";

    /**
     * @param in the lines the user types
     * @param out where prompts and replies are printed (written from two threads, synchronized on it)
     * @param clock stamps events and measures the waits of scripted mode
     */
    public ConsoleChat(ConsoleChatSettings settings, BufferedReader in, PrintWriter out, Clock clock, Mode mode) {
        this(settings, in, out, clock, mode, () -> UUID.randomUUID().toString());
    }

    ConsoleChat(ConsoleChatSettings settings, BufferedReader in, PrintWriter out, Clock clock, Mode mode, Supplier<String> ids) {
        this.settings = settings;
        this.in = in;
        this.out = out;
        this.clock = clock;
        this.mode = mode;
        this.ids = ids;
        this.inbox = new ReplyInbox(clock);
    }

    /**
     * Runs the chat until {@code /quit} or the end of the input.
     *
     * @return {@link #EXIT_OK} or {@link #EXIT_UNANSWERED}
     */
    public int run() throws IOException, InterruptedException {
        Optional<String> userId = mode == Mode.INTERACTIVE ? askUserId() : Optional.of(settings.defaultUserId());
        if (userId.isEmpty()) {
            return EXIT_OK;
        }
        ConsoleSession session = new ConsoleSession(userId.get(), "console-" + userId.get() + "-" + ids.get().substring(0, 8),
                settings.channel(), clock, ids);
        prompt = session.userId() + "> ";
        Topics topics = Topics.create(settings.topics(), settings.serde());
        try (ChatSender sender = new ChatSender(settings.kafka());
             ReplyListener listener = ReplyListener.start(settings.kafka(), topics.defaultReplies().valueSerde().deserializer(),
                     settings.replyTopics(), reply -> isFor(session, reply), this::show, this::notice)) {
            if (!connected(sender, listener)) {
                return EXIT_OK;
            }
            try {
                return converse(session, topics, sender, listener);
            } finally {
                disconnected();
            }
        }
    }

    private int converse(ConsoleSession session, Topics topics, ChatSender sender, ReplyListener listener)
            throws IOException, InterruptedException {
        if (mode == Mode.INTERACTIVE) {
            print("Chatting as " + session.userId() + " on channel " + settings.channel() + " (conversation "
                    + session.conversationId() + "). Type /help for commands.");
        }
        Conversation conversation = new Conversation(session, topics, sender);
        boolean allAnswered = conversation.start();
        String line;
        while ((line = readLine()) != null) {
            Optional<ChatCommand> command = ChatCommand.parse(line);
            if (command.isEmpty()) {
                continue;
            }
            if (mode == Mode.SCRIPTED) {
                print(prompt + line.strip());
            }
            if (command.get() instanceof Quit) {
                break;
            }
            allAnswered &= conversation.handle(command.get());
        }
        if (listener.skipped() > 0) {
            notice(listener.skipped() + " unreadable replies were skipped; see the log");
        }
        return allAnswered ? EXIT_OK : EXIT_UNANSWERED;
    }

    /**
     * Stops the chat from another thread (local mode's Ctrl-C): no more sending, no more replies.
     * A {@link #run()} still waiting for input is left alone; the process is ending anyway.
     */
    @Override
    public void close() {
        synchronized (connection) {
            closed = true;
            connection.forEach(ConsoleChat::closeQuietly);
            connection.clear();
        }
    }

    /** Remembers what {@link #close()} must stop; false when the chat was closed already. */
    private boolean connected(ChatSender sender, ReplyListener listener) {
        synchronized (connection) {
            if (closed) {
                return false;
            }
            connection.add(listener);
            connection.add(sender);
            return true;
        }
    }

    /** The run closes its clients itself from here on. */
    private void disconnected() {
        synchronized (connection) {
            connection.clear();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // Stopping: a client that fails to close has nothing left to lose.
        }
    }

    private Optional<String> askUserId() throws IOException {
        synchronized (out) {
            out.print("Your user id [" + settings.defaultUserId() + "]: ");
            out.flush();
        }
        String line = in.readLine();
        if (line == null) {
            return Optional.empty();
        }
        return Optional.of(line.isBlank() ? settings.defaultUserId() : line.strip());
    }

    private String readLine() throws IOException {
        if (mode == Mode.INTERACTIVE) {
            synchronized (out) {
                out.print(prompt);
                out.flush();
            }
        }
        return in.readLine();
    }

    /** Replies of this conversation, and notifications for this user wherever the processor delivers them. */
    private static boolean isFor(ConsoleSession session, ChatReply reply) {
        return session.conversationId().equals(reply.getConversationId())
                || reply.getKind() == ReplyKind.NOTIFICATION && session.userId().equals(reply.getUserId());
    }

    private void show(ChatReply reply) {
        synchronized (out) {
            if (mode == Mode.INTERACTIVE) {
                // The reply interrupts the prompt: put it on its own line, then offer the prompt again.
                out.println();
                out.println(ReplyFormat.format(reply));
                out.print(prompt);
            } else {
                out.println(ReplyFormat.format(reply));
            }
            out.flush();
        }
        inbox.add(reply);
    }

    private void notice(String text) {
        print("(" + text + ")");
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Sends what the user asks for and, in scripted mode, waits for the replies to settle. */
    private final class Conversation {

        private final ConsoleSession session;
        private final Topics topics;
        private final ChatSender sender;

        Conversation(ConsoleSession session, Topics topics, ChatSender sender) {
            this.session = session;
            this.topics = topics;
            this.sender = sender;
        }

        /** Opens the conversation with a SESSION_START, which a flow may answer (a greeting) or not. */
        boolean start() throws InterruptedException {
            ChatEvent start = session.sessionStart();
            return send(start, Expectation.finalReplyOrQuiet(start.getEventId()));
        }

        /** @return false when a scripted message went unanswered or something could not be sent */
        boolean handle(ChatCommand command) throws InterruptedException {
            if (command instanceof Say say) {
                ChatEvent message = session.message(say.text());
                return send(message, Expectation.finalReplyTo(message.getEventId()));
            }
            if (command instanceof Notify notify) {
                return notify(session.notification(notify.text()));
            }
            if (command instanceof ChatCommand.Device device) {
                return measure(session.telemetry(device.deviceId(), device.metric(), device.value()));
            }
            if (command instanceof ChatCommand.Stock stock) {
                return publishStock(stock);
            }
            if (command instanceof ChatCommand.Row row) {
                return publishRow(row);
            }
            if (command instanceof Erase) {
                ChatEvent erase = session.erase();
                boolean sent = send(erase, Expectation.finalReplyOrQuiet(erase.getEventId()));
                if (sent && mode == Mode.INTERACTIVE) {
                    print("(asked to erase everything held about " + session.userId() + ")");
                }
                return sent;
            }
            if (command instanceof Help help) {
                help.unknownCommand().ifPresent(problem -> print("(" + problem + ")"));
                print(ChatCommand.help());
            }
            return true;
        }

        boolean send(ChatEvent event, Expectation expectation) throws InterruptedException {
            int mark = inbox.mark();
            Instant sentAt = clock.instant();
            try {
                sender.send(topics.chatEvents(), event.getConversationId(), event);
            } catch (ChatSendException e) {
                notice(e.getMessage());
                return false;
            }
            return settle(expectation, mark, sentAt);
        }

        private boolean notify(Notification notification) throws InterruptedException {
            int mark = inbox.mark();
            Instant sentAt = clock.instant();
            try {
                sender.send(topics.notifications(), notification.getUserId(), notification);
            } catch (ChatSendException e) {
                notice(e.getMessage());
                return false;
            }
            return settle(Expectation.notificationOrQuiet(), mark, sentAt);
        }

        /** A measurement: an alert it triggers comes back as a notification for the device's owner (maybe another user). */
        private boolean measure(TelemetryEvent measurement) throws InterruptedException {
            int mark = inbox.mark();
            Instant sentAt = clock.instant();
            try {
                sender.send(topics.iotTelemetry(), measurement.getDeviceId(), measurement);
            } catch (ChatSendException e) {
                notice(e.getMessage());
                return false;
            }
            if (mode == Mode.INTERACTIVE) {
                print("(" + measurement.getDeviceId() + " reported " + measurement.getMetric() + " " + measurement.getValue() + ")");
            }
            return settle(Expectation.notificationOrQuiet(), mark, sentAt);
        }

        /**
         * A new stock level: the product's current row of the live stock table with the level changed, published to its
         * topic. A product the table does not have is refused with a line, and nothing is published.
         */
        private boolean publishStock(ChatCommand.Stock stock) {
            SortedMap<String, byte[]> rows;
            try {
                rows = TableTopic.rows(settings.kafka(), DemoStock.TOPIC, TABLE_READ_TIMEOUT);
            } catch (TableTopic.TableTopicException e) {
                notice("/stock: " + e.getMessage() + "; nothing was published");
                return false;
            }
            byte[] row = rows.get(stock.sku());
            if (row == null) {
                notice("/stock: " + DemoStock.TOPIC + " has no product " + stock.sku() + " (it has "
                        + (rows.isEmpty() ? "none" : String.join(", ", rows.keySet())) + "); nothing was published");
                return true;
            }
            byte[] changed;
            try {
                changed = DemoStock.withLevel(stock.sku(), row, stock.level());
            } catch (IllegalArgumentException e) {
                notice("/stock: " + e.getMessage() + "; nothing was published");
                return true;
            }
            return publish(DemoStock.TOPIC, stock.sku(), changed,
                    "published to " + DemoStock.TOPIC + ": " + DemoStock.describe(stock.sku(), stock.level()));
        }

        /** A row as typed, to an existing topic only: a mistyped topic name must not create a topic. */
        private boolean publishRow(ChatCommand.Row row) {
            try {
                if (!TableTopic.exists(settings.kafka(), row.topic(), TABLE_READ_TIMEOUT)) {
                    notice("/row: there is no topic " + row.topic() + "; nothing was published");
                    return true;
                }
            } catch (TableTopic.TableTopicException e) {
                notice("/row: " + e.getMessage() + "; nothing was published");
                return false;
            }
            return publish(row.topic(), row.key(), row.json().map(json -> json.getBytes(StandardCharsets.UTF_8)).orElse(null),
                    row.json().isPresent() ? "published the row " + row.key() + " to " + row.topic()
                            : "published a tombstone for " + row.key() + " to " + row.topic());
        }

        private boolean publish(String topic, String key, byte[] json, String done) {
            try {
                sender.sendRow(topic, key, json);
            } catch (ChatSendException e) {
                notice(e.getMessage());
                return false;
            }
            notice(done);
            return true;
        }

        private boolean settle(Expectation expectation, int mark, Instant sentAt) throws InterruptedException {
            if (mode == Mode.INTERACTIVE) {
                return true;
            }
            Outcome outcome = inbox.await(expectation, mark, sentAt, settings.replyTimeout(), settings.quietPeriod());
            if (outcome == Outcome.TIMED_OUT) {
                notice("no reply within " + settings.replyTimeout().toSeconds() + "s");
                return false;
            }
            return true;
        }
    }
}
