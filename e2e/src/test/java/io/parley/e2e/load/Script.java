package io.parley.e2e.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The five kinds of conversation the load is made of. Each has five messages and, between them,
 * they produce every kind of concluding reply through both connectors:
 *
 * <ul>
 *   <li>{@link #HAPPY_PATH}: an order, the points balance, a redemption (SQL write), a voucher claim
 *       (HTTP write), then something the bot does not understand (FALLBACK);</li>
 *   <li>{@link #BACKEND_ERRORS}: a 500 and a 422 (the flow's error templates), a card lookup that
 *       renders empty (ERROR), a question back (PROMPT) and its answer;</li>
 *   <li>{@link #SLOT_FILLING}: a prompt, an invalid answer re-prompted, the answer, a card, a claim;</li>
 *   <li>{@link #SLOW_BACKEND}: a carrier slower than the deadline (FALLBACK), then an order lookup
 *       superseded at once by "help" — its answer comes as a FOLLOW_UP — then points and a redemption;</li>
 *   <li>{@link #MIXED}: help, a claim, a redemption, the slow carrier, an order.</li>
 * </ul>
 */
public enum Script {

    HAPPY_PATH(c -> c
            .say("What is the status of order " + c.order('1') + "?", SupportDesk.orderShipped(c.order('1')))
            .say("How many points do I have?", SupportDesk.pointsBalance())
            .redeem("Please redeem %d points", 50)
            .claim("claim voucher %s", "SPRING")
            .say("tell me a joke", SupportDesk.notUnderstood())),

    BACKEND_ERRORS(c -> c.withoutCard()
            .say("status of order " + c.order('5'), SupportDesk.orderSystemDown())
            .say("status of order " + c.order('4'), SupportDesk.orderRejected(c.order('4')))
            .say("show my membership card", SupportDesk.noCard())
            .say("where is my order", SupportDesk.askOrderNumber())
            .say(c.order('1'), SupportDesk.orderShipped(c.order('1')))),

    SLOT_FILLING(c -> c
            .say("where is my order", SupportDesk.askOrderNumber())
            .say("abc", SupportDesk.askOrderNumberAgain())
            .say(c.order('1'), SupportDesk.orderShipped(c.order('1')))
            .say("show my membership card", SupportDesk.cardNumber(c.cardNumber()))
            .claim("claim voucher %s", "WINTER")),

    SLOW_BACKEND(c -> c
            .say("when will order " + c.order('9') + " arrive?", SupportDesk.carrierFallback(c.order('9')))
            // Typed quickly one after the other: "help" supersedes the lookup, whose answer then
            // arrives as a follow-up, after the help text.
            .sayTogether("status of order " + c.order('7'), SupportDesk.orderShippedFollowUp(c.order('7')),
                    "help", SupportDesk.help())
            .say("how many points do I have", SupportDesk.pointsBalance())
            .redeem("redeem %d points", 20)),

    MIXED(c -> c
            .say("help", SupportDesk.help())
            .claim("claim voucher %s", "SUMMER")
            .redeem("redeem %d points", 30)
            .say("when will order " + c.order('9') + " arrive", SupportDesk.carrierFallback(c.order('9')))
            .say("status of order " + c.order('1'), SupportDesk.orderShipped(c.order('1'))));

    private final UnaryOperator<Builder> messages;

    Script(UnaryOperator<Builder> messages) {
        this.messages = messages;
    }

    /** The conversation number {@code index} of this script. */
    PlannedConversation conversation(int index, boolean redeliverFirst) {
        return conversation(index, redeliverFirst, PlannedConversation.NO_LATE_REDELIVERY);
    }

    /** The same, with the messages of {@code lateRedeliveryStep} delivered again late (see {@link PlannedConversation}). */
    PlannedConversation conversation(int index, boolean redeliverFirst, int lateRedeliveryStep) {
        return messages.apply(new Builder(index)).build(redeliverFirst, lateRedeliveryStep);
    }

    /** Builds one conversation: ids, user, card, messages in steps, and the order of their replies. */
    static final class Builder {

        private final int index;
        private final String conversationId;
        private final List<PlannedEvent> events = new ArrayList<>();
        private final List<String> replyOrder = new ArrayList<>();
        private boolean hasCard = true;
        private int step;

        Builder(int index) {
            this.index = index;
            this.conversationId = "conv-%04d".formatted(index);
        }

        /** An order number whose behaviour at the shop API is chosen by its first digit (see ShopApi). */
        String order(char behaviour) {
            return behaviour + "%03d".formatted(index % 1000);
        }

        String cardNumber() {
            return "C-%06d".formatted(index);
        }

        Builder withoutCard() {
            hasCard = false;
            return this;
        }

        Builder say(String text, ExpectedReply expected) {
            return say(text, expected, Optional.empty());
        }

        /** A voucher claim, {@code text} formatted with the code. */
        Builder claim(String text, String code) {
            return say(text.formatted(code), SupportDesk.voucherClaimed(code), Optional.of(new BackendWrite.VoucherClaim(code)));
        }

        /** A redemption, {@code text} formatted with the points. */
        Builder redeem(String text, int points) {
            return say(text.formatted(points), SupportDesk.redeemed(points), Optional.of(new BackendWrite.Redemption(points)));
        }

        private Builder say(String text, ExpectedReply expected, Optional<BackendWrite> write) {
            PlannedEvent event = event(text, expected, write);
            replyOrder.add(event.eventId());
            step++;
            return this;
        }

        /** Two messages sent at once; the second's reply comes first (it supersedes the first). */
        Builder sayTogether(String first, ExpectedReply firstExpected, String second, ExpectedReply secondExpected) {
            PlannedEvent superseded = event(first, firstExpected, Optional.empty());
            PlannedEvent superseding = event(second, secondExpected, Optional.empty());
            replyOrder.add(superseding.eventId());
            replyOrder.add(superseded.eventId());
            step++;
            return this;
        }

        private PlannedEvent event(String text, ExpectedReply expected, Optional<BackendWrite> write) {
            PlannedEvent event = new PlannedEvent(conversationId + "-m" + (events.size() + 1), text, step, expected, write);
            events.add(event);
            return event;
        }

        PlannedConversation build(boolean redeliverFirst, int lateRedeliveryStep) {
            return new PlannedConversation(conversationId, "customer-%04d".formatted(index),
                    hasCard ? Optional.of(cardNumber()) : Optional.empty(), events, replyOrder, redeliverFirst,
                    lateRedeliveryStep);
        }
    }
}
