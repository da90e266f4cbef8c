package io.parley.gateway.channels;

/** One entry of gateway.yaml's {@code channels:} list: a generic webhook/REST channel or a platform adapter. */
public sealed interface ChannelDefinition permits ChannelSettings, TelegramSettings, SlackSettings, WhatsAppSettings,
        TeamsSettings {

    /** The channel name: in the paths under {@code /channels/<name>/} and in chat events. */
    String name();

    /** The topic the processor routes this channel's replies to. */
    String replyTopic();
}
