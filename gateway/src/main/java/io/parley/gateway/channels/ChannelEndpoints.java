package io.parley.gateway.channels;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP endpoints of a gateway's channels, as an operator enters them on each platform's side
 * (local mode's banner lists them): one line per endpoint, {@code <name> (<type>) <what>: <URL>}.
 */
public final class ChannelEndpoints {

    private ChannelEndpoints() {
    }

    /** The endpoints of {@code channels} on a gateway reachable at {@code base}; empty when there are none. */
    public static List<String> describe(List<ChannelDefinition> channels, URI base) {
        String root = base.toString().replaceAll("/+$", "") + "/channels/";
        List<String> lines = new ArrayList<>();
        for (ChannelDefinition c : channels) {
            String at = root + c.name();
            if (c instanceof ChannelSettings s) {
                lines.add(c.name() + " (webhook) messages: POST " + at + "/messages");
                lines.add(c.name() + " (webhook) replies: " + (s.callsBack() ? "POSTed to the callback URL"
                        : "GET " + at + "/conversations/<id>/replies"));
            } else if (c instanceof TelegramSettings) {
                lines.add(c.name() + " (telegram) setWebhook url: " + at + "/webhook");
            } else if (c instanceof SlackSettings) {
                lines.add(c.name() + " (slack) Event Subscriptions request URL: " + at + "/webhook");
                lines.add(c.name() + " (slack) Interactivity request URL: " + at + "/interactivity");
            } else if (c instanceof WhatsAppSettings) {
                lines.add(c.name() + " (whatsapp) webhook callback URL: " + at + "/webhook");
            } else if (c instanceof TeamsSettings) {
                lines.add(c.name() + " (teams) messaging endpoint: " + at + "/webhook");
            }
        }
        return lines;
    }
}
