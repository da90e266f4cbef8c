package io.parley.e2e.load;

import io.parley.e2e.env.LoyaltyDatabase;
import io.parley.schemas.ReplyKind;

/**
 * What the {@code flows/support-desk.yaml} flows answer to each kind of message, given how the
 * test backends behave ({@link io.parley.e2e.env.ShopApi} by order number, the loyalty database by
 * customer). The single place where the tests' expectations meet the flow's texts.
 */
final class SupportDesk {

    private SupportDesk() {
    }

    static ExpectedReply help() {
        return answer("I can look up orders and delivery dates, your points, and claim vouchers.");
    }

    static ExpectedReply orderShipped(String orderId) {
        return answer("Order " + orderId + " is SHIPPED.");
    }

    /** The answer to a superseded order lookup, delivered when it arrives after the turn ended. */
    static ExpectedReply orderShippedFollowUp(String orderId) {
        return new ExpectedReply(ReplyKind.FOLLOW_UP, "Order " + orderId + " is SHIPPED.");
    }

    /** A 500 on every attempt: the flow's SERVER_ERROR template. */
    static ExpectedReply orderSystemDown() {
        return errorTemplate("The order system is not answering right now.");
    }

    /** A 422: the flow's CLIENT_ERROR template. */
    static ExpectedReply orderRejected(String orderId) {
        return errorTemplate(orderId + " is not an order number I can look up.");
    }

    static ExpectedReply askOrderNumber() {
        return new ExpectedReply(ReplyKind.PROMPT, "Which order number?");
    }

    static ExpectedReply askOrderNumberAgain() {
        return new ExpectedReply(ReplyKind.PROMPT, "An order number has digits only. Which order number?");
    }

    /** The carrier never answers before the deadline. */
    static ExpectedReply carrierFallback(String orderId) {
        return new ExpectedReply(ReplyKind.FALLBACK,
                "The carrier is not answering about order " + orderId + "; please ask again later.");
    }

    static ExpectedReply pointsBalance() {
        return answer("You have " + LoyaltyDatabase.STARTING_POINTS + " points.");
    }

    static ExpectedReply cardNumber(String cardNumber) {
        return answer("Your card number is " + cardNumber + ".");
    }

    /** The card reply renders empty for a customer without a card: a turn Parley cannot complete. */
    static ExpectedReply noCard() {
        return new ExpectedReply(ReplyKind.ERROR, "Something went wrong on our side. Please ask again.");
    }

    static ExpectedReply redeemed(int points) {
        return answer("Done: " + points + " points redeemed.");
    }

    static ExpectedReply voucherClaimed(String code) {
        return answer("Voucher " + code + " is yours.");
    }

    static ExpectedReply notUnderstood() {
        return new ExpectedReply(ReplyKind.FALLBACK, "Sorry, I didn't get that. Ask me about an order, your points or a voucher.");
    }

    private static ExpectedReply answer(String text) {
        return new ExpectedReply(ReplyKind.ANSWER, text);
    }

    /**
     * The processor sends a flow's error template (chosen by the backend's status) as an ANSWER:
     * it is the flow's designed answer to that outcome. ERROR is kept for turns Parley itself could
     * not complete (a reply that renders empty, a result that is not JSON) — see docs/flows.md.
     */
    private static ExpectedReply errorTemplate(String text) {
        return answer(text);
    }
}
