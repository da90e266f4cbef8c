package io.parley.local.chat;

import io.parley.schemas.ChatReply;
import java.util.Locale;

/** How the console chat shows a reply: its kind, its text, and its suggested answers. */
final class ReplyFormat {

    private ReplyFormat() {
    }

    /** For example {@code bot [answer] Your order 1001 has shipped.} plus a line of options when there are any. */
    static String format(ChatReply reply) {
        String kind = reply.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        StringBuilder text = new StringBuilder("bot [").append(kind).append("] ").append(reply.getText());
        if (!reply.getQuickReplies().isEmpty()) {
            text.append(System.lineSeparator()).append("    options:");
            reply.getQuickReplies().forEach(option -> text.append(" [").append(option).append(']'));
        }
        return text.toString();
    }
}
