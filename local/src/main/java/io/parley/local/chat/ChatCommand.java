package io.parley.local.chat;

import java.util.Locale;
import java.util.Optional;

/** What a line typed into the console chat asks for. */
sealed interface ChatCommand {

    /** Say something to the bot: the line becomes a MESSAGE event. */
    record Say(String text) implements ChatCommand {
    }

    /** {@code /notify <text>}: a proactive notification for the current user. */
    record Notify(String text) implements ChatCommand {
    }

    /** {@code /device <device> <metric> <value>}: a measurement from a device, as a TelemetryEvent on the telemetry topic. */
    record Device(String deviceId, String metric, double value) implements ChatCommand {
    }

    /** {@code /erase}: erase everything held about the user. */
    record Erase() implements ChatCommand {
    }

    /** {@code /quit}: leave the chat. */
    record Quit() implements ChatCommand {
    }

    /** {@code /help}, or a command the console does not know. */
    record Help(Optional<String> unknownCommand) implements ChatCommand {
    }

    /** The command of a line; nothing for a blank line. */
    static Optional<ChatCommand> parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (!trimmed.startsWith("/")) {
            return Optional.of(new Say(trimmed));
        }
        int space = trimmed.indexOf(' ');
        String name = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return Optional.of(switch (name) {
            case "/notify" -> argument.isEmpty() ? new Help(Optional.of("/notify needs a text")) : new Notify(argument);
            case "/device" -> device(argument);
            case "/erase" -> new Erase();
            case "/quit", "/exit" -> new Quit();
            case "/help" -> new Help(Optional.empty());
            default -> new Help(Optional.of("unknown command " + name));
        });
    }

    private static ChatCommand device(String argument) {
        String[] parts = argument.split("\\s+");
        if (parts.length != 3) {
            return new Help(Optional.of("/device needs a device, a metric and a value, e.g. /device freezer-1 temperature -5"));
        }
        try {
            double value = Double.parseDouble(parts[2].replace(',', '.'));
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return new Device(parts[0], parts[1], value);
        } catch (NumberFormatException e) {
            return new Help(Optional.of("/device: '" + parts[2] + "' is not a number"));
        }
    }

    /** The help text listing the commands. */
    static String help() {
        return """
                Type a message and press Enter to send it. Commands:
                  /notify <text>  send yourself a proactive notification
                  /device <device> <metric> <value>
                                  send a measurement from a device, e.g. /device freezer-1 temperature -5
                  /erase          erase everything held about you
                  /help           show this help
                  /quit           leave""";
    }
}
