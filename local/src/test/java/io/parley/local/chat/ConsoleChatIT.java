package io.parley.local.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console chat against a real broker, answered by a test double of the processor. */
class ConsoleChatIT {

    private static final String REGISTRY_SCOPE = "console-chat-it";
    private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://" + REGISTRY_SCOPE);
    private static final String ROUTED_REPLIES = "chat.replies.console";

    private static EmbeddedKafkaCluster kafka;
    private static TestResponder responder;

    @BeforeAll
    static void startBrokerAndResponder() {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.notifications());
        // One partition each, so replies of different conversations keep their order in the tests.
        kafka.createTopics(1, names.defaultReplies(), ROUTED_REPLIES);
        responder = new TestResponder(kafka.bootstrapServers(), Topics.create(names, SERDE), ROUTED_REPLIES);
    }

    @AfterAll
    static void stopBrokerAndResponder() {
        responder.close();
        kafka.close();
        InMemorySchemaRegistry.dropScope(REGISTRY_SCOPE);
    }

    @Test
    void aScriptedChatPrintsEachLinesRepliesInOrderAndExitsAtTheEndOfInput() throws Exception {
        StringWriter output = new StringWriter();

        int exit = scripted(settings(), """
                hello
                slow order check
                choose
                """, output);

        assertThat(exit).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(lines(output)).containsExactly(
                "bot [answer] Hi alice!",
                "alice> hello",
                "bot [answer] You said: hello",
                "alice> slow order check",
                "bot [interim] Still working on it...",
                "bot [answer] Done: slow order check",
                "alice> choose",
                "bot [prompt] Tea or coffee?",
                "    options: [Tea] [Coffee]");
    }

    @Test
    void eachLineBecomesAMessageEventOfTheConversationAfterItsSessionStart() throws Exception {
        int exit = scripted(settings().withDefaultUserId("carol"), "where is my order 1001\n", new StringWriter());

        assertThat(exit).isEqualTo(ConsoleChat.EXIT_OK);
        List<ChatEvent> carols = eventsOf("carol");
        assertThat(carols).extracting(ChatEvent::getType).containsExactly(ChatEventType.SESSION_START, ChatEventType.MESSAGE);
        assertThat(carols).extracting(ChatEvent::getChannel).containsOnly("console");
        assertThat(carols).extracting(ChatEvent::getConversationId).containsOnly(carols.get(0).getConversationId());
        assertThat(carols.get(0).getConversationId()).startsWith("console-carol-");
        assertThat(carols.get(1).getText()).isEqualTo("where is my order 1001");
        assertThat(carols).extracting(ChatEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void notifyProducesANotificationForTheUserAndItsDeliveryIsPrinted() throws Exception {
        StringWriter output = new StringWriter();

        int exit = scripted(settings().withDefaultUserId("dave"), "/notify Your parcel is out for delivery\n", output);

        assertThat(exit).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(responder.notifications()).anySatisfy(n -> {
            assertThat(n.getUserId()).isEqualTo("dave");
            assertThat(n.getText()).isEqualTo("Your parcel is out for delivery");
        });
        assertThat(lines(output)).containsSubsequence(
                "alice> /notify Your parcel is out for delivery".replace("alice", "dave"),
                "bot [notification] Your parcel is out for delivery");
    }

    @Test
    void eraseSendsAnEraseEventAndQuitStopsReading() throws Exception {
        int exit = scripted(settings().withDefaultUserId("erin"), """
                /erase
                /quit
                this line is never sent
                """, new StringWriter());

        assertThat(exit).isEqualTo(ConsoleChat.EXIT_OK);
        // An erasure gets no reply from the test double, so the responder may still be reading it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventsOf("erin")).extracting(ChatEvent::getType)
                .containsExactly(ChatEventType.SESSION_START, ChatEventType.ERASE));
    }

    @Test
    void aMessageWithoutAFinalReplyInTimeIsReportedAndTheExitCodeSaysSo() throws Exception {
        StringWriter output = new StringWriter();

        // A reply timeout a loaded machine's round trip stays well inside, for "hello" to be answered in it.
        int exit = scripted(settings().withDefaultUserId("frank").withWaits(Duration.ofSeconds(5), Duration.ofSeconds(1)),
                "silent\nhello\n", output);

        assertThat(exit).isEqualTo(ConsoleChat.EXIT_UNANSWERED);
        assertThat(lines(output)).containsSubsequence("frank> silent", "(no reply within 5s)", "frank> hello",
                "bot [answer] You said: hello");
    }

    @Test
    void unknownCommandsShowTheHelpAndAreNotSent() throws Exception {
        StringWriter output = new StringWriter();

        scripted(settings().withDefaultUserId("gina"), "/dance\n", output);

        assertThat(output.toString()).contains("(unknown command /dance)", "/notify <text>", "/quit");
        assertThat(eventsOf("gina")).extracting(ChatEvent::getType).containsExactly(ChatEventType.SESSION_START);
    }

    @Test
    void anInteractiveChatAsksForTheUserAndPrintsRepliesAsTheyArriveFromEitherReplyTopic() throws Exception {
        PipedWriter typing = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(typing));
        StringWriter output = new StringWriter();
        PrintWriter out = new PrintWriter(output);
        ConsoleChat chat = new ConsoleChat(settings(), in, out, Clock.systemUTC(), ConsoleChat.Mode.INTERACTIVE);
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> runChat(chat));

        type(typing, "hank");
        await().atMost(Duration.ofSeconds(30)).until(() -> printed(output).contains("bot [answer] Hi hank!"));
        type(typing, "hello there");
        await().atMost(Duration.ofSeconds(30)).until(() -> printed(output).contains("bot [answer] You said: hello there"));
        String conversationId = eventsOf("hank").get(0).getConversationId();
        responder.reply("chat.replies", "someone-else", "ivy", null, ReplyKind.ANSWER, "not for hank");
        responder.reply("chat.replies", conversationId, "hank", null, ReplyKind.FOLLOW_UP, "Your order has arrived");
        await().atMost(Duration.ofSeconds(30)).until(() -> printed(output).contains("bot [follow-up] Your order has arrived"));
        type(typing, "/quit");

        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(printed(output)).startsWith("Your user id [alice]: ").contains("hank> ").doesNotContain("not for hank");
        assertThat(eventsOf("hank")).extracting(ChatEvent::getUserId).containsOnly("hank");
    }

    private static ConsoleChatSettings settings() {
        return ConsoleChatSettings.defaults(kafka.bootstrapServers(), "mock://" + REGISTRY_SCOPE)
                // The quiet period settles what may get no reply (a session start, /notify, /erase): long enough that
                // a reply on a loaded machine still comes within it, so the transcript's order is the replies' order.
                .withWaits(Duration.ofSeconds(20), Duration.ofSeconds(5));
    }

    private static int scripted(ConsoleChatSettings settings, String input, StringWriter output) throws Exception {
        return new ConsoleChat(settings, new BufferedReader(new StringReader(input)), new PrintWriter(output),
                Clock.systemUTC(), ConsoleChat.Mode.SCRIPTED).run();
    }

    private static int runChat(ConsoleChat chat) {
        try {
            return chat.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void type(PipedWriter typing, String line) throws IOException {
        typing.write(line + "\n");
        typing.flush();
    }

    private static String printed(StringWriter output) {
        synchronized (output.getBuffer()) {
            return output.toString();
        }
    }

    private static List<String> lines(StringWriter output) {
        return output.toString().lines().toList();
    }

    private static List<ChatEvent> eventsOf(String userId) {
        return responder.events().stream().filter(e -> e.getUserId().equals(userId)).toList();
    }
}
