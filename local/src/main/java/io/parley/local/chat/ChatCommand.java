package io.parley.local.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.topics.TopicNames;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;

/** What a line typed into the console chat asks for. */
sealed interface ChatCommand {

    /** A product SKU of the demo shop: letters, a dash, digits (any case; published upper-case). */
    Pattern SKU = Pattern.compile("[A-Za-z]{2,}-\\d+");
    /** A stock level: a whole number, 0 or more. */
    Pattern LEVEL = Pattern.compile("\\d{1,9}");
    /** The highest stock level {@code /stock} takes. */
    int MAX_LEVEL = 1_000_000;
    ObjectMapper JSON = new ObjectMapper();

    /** Say something to the bot: the line becomes a MESSAGE event. */
    record Say(String text) implements ChatCommand {
    }

    /** {@code /notify <text>}: a proactive notification for the current user. */
    record Notify(String text) implements ChatCommand {
    }

    /** {@code /device <device> <metric> <value>}: a measurement from a device, as a TelemetryEvent on the telemetry topic. */
    record Device(String deviceId, String metric, double value) implements ChatCommand {
    }

    /**
     * {@code /stock <sku> <level>}: a new stock level of a demo shop product, published as the product's row of the
     * live stock table (its other fields kept).
     */
    record Stock(String sku, int level) implements ChatCommand {
    }

    /**
     * {@code /row <topic> <key> <json>}: a row of a reference table, published as it is to the table's topic
     * (compact JSON), keyed by {@code key}; {@code null} deletes the row (a tombstone).
     *
     * @param json the row, or empty for a tombstone
     */
    record Row(String topic, String key, Optional<String> json) implements ChatCommand {
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
            case "/stock" -> stock(argument);
            case "/row" -> row(argument);
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

    private static ChatCommand stock(String argument) {
        String[] parts = argument.split("\\s+");
        if (argument.isEmpty() || parts.length != 2) {
            return new Help(Optional.of("/stock needs a product and a stock level, e.g. /stock MUG-01 0"));
        }
        if (!SKU.matcher(parts[0]).matches()) {
            return new Help(Optional.of("/stock: '" + parts[0] + "' is not a product SKU like MUG-01"));
        }
        if (!LEVEL.matcher(parts[1]).matches() || Integer.parseInt(parts[1]) > MAX_LEVEL) {
            return new Help(Optional.of("/stock: '" + parts[1] + "' is not a stock level (a whole number from 0 to "
                    + MAX_LEVEL + ")"));
        }
        return new Stock(parts[0].toUpperCase(Locale.ROOT), Integer.parseInt(parts[1]));
    }

    private static ChatCommand row(String argument) {
        String[] parts = argument.split("\\s+", 3);
        if (argument.isEmpty() || parts.length != 3) {
            return new Help(Optional.of("/row needs a topic, a key and a JSON row (or null), e.g. "
                    + "/row shop.stock MUG-01 {\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"quantity\":3,\"inStock\":true}"));
        }
        try {
            TopicNames.requireValidName("/row", parts[0]);
        } catch (IllegalArgumentException | KafkaException e) {
            return new Help(Optional.of("/row: '" + parts[0] + "' is not a topic name"));
        }
        JsonNode row;
        try {
            row = JSON.readTree(parts[2]);
        } catch (JsonProcessingException e) {
            return new Help(Optional.of("/row: the row is not JSON (" + e.getOriginalMessage() + ")"));
        }
        if (row.isNull()) {
            return new Row(parts[0], parts[1], Optional.empty());
        }
        if (!row.isObject()) {
            return new Help(Optional.of("/row: the row must be a JSON object, or null to delete the row"));
        }
        return new Row(parts[0], parts[1], Optional.of(row.toString()));
    }

    /** The help text listing the commands. */
    static String help() {
        return """
                Type a message and press Enter to send it. Commands:
                  /notify <text>  send yourself a proactive notification
                  /device <device> <metric> <value>
                                  send a measurement from a device, e.g. /device freezer-1 temperature -5
                  /stock <sku> <level>
                                  publish a product's new stock level to the live stock table, e.g. /stock MUG-01 0
                  /row <topic> <key> <json>
                                  publish a row to a reference table's topic (null deletes it)
                  /erase          erase everything held about you
                  /help           show this help
                  /quit           leave""";
    }
}
