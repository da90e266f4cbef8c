package io.parley.local.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.local.chat.ChatCommand.Erase;
import io.parley.local.chat.ChatCommand.Help;
import io.parley.local.chat.ChatCommand.Notify;
import io.parley.local.chat.ChatCommand.Quit;
import io.parley.local.chat.ChatCommand.Say;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatCommandTest {

    @Test
    void aLineOfTextIsSaidWithoutSurroundingBlanks() {
        assertThat(ChatCommand.parse("  where is my order 1001 ")).contains(new Say("where is my order 1001"));
    }

    @Test
    void aBlankLineIsNothing() {
        assertThat(ChatCommand.parse("   ")).isEmpty();
    }

    @Test
    void commandsAreRecognisedInAnyCase() {
        assertThat(ChatCommand.parse("/NOTIFY  Your parcel is here")).contains(new Notify("Your parcel is here"));
        assertThat(ChatCommand.parse("/erase")).contains(new Erase());
        assertThat(ChatCommand.parse("/Quit")).contains(new Quit());
        assertThat(ChatCommand.parse("/help")).contains(new Help(Optional.empty()));
    }

    @Test
    void aNotificationWithoutTextAndUnknownCommandsAskForHelp() {
        assertThat(ChatCommand.parse("/notify")).contains(new Help(Optional.of("/notify needs a text")));
        assertThat(ChatCommand.parse("/dance now")).contains(new Help(Optional.of("unknown command /dance")));
    }

    @Test
    void deviceSendsAMeasurementOfADevice() {
        assertThat(ChatCommand.parse("/device freezer-1 temperature -5"))
                .contains(new ChatCommand.Device("freezer-1", "temperature", -5));
        assertThat(ChatCommand.parse("/DEVICE locker-1  doorOpen 1")).contains(new ChatCommand.Device("locker-1", "doorOpen", 1));
        assertThat(ChatCommand.parse("/device freezer-1 temperature -4,5"))
                .contains(new ChatCommand.Device("freezer-1", "temperature", -4.5));
    }

    @Test
    void deviceWithoutAValueOrWithANonNumberShowsTheHelp() {
        assertThat(ChatCommand.parse("/device freezer-1 temperature")).contains(new Help(
                Optional.of("/device needs a device, a metric and a value, e.g. /device freezer-1 temperature -5")));
        assertThat(ChatCommand.parse("/device freezer-1 temperature warm"))
                .contains(new Help(Optional.of("/device: 'warm' is not a number")));
        assertThat(ChatCommand.parse("/device freezer-1 temperature NaN"))
                .contains(new Help(Optional.of("/device: 'NaN' is not a number")));
    }

    @Test
    void stockPublishesALevelOfAProductWhoseSkuIsUpperCased() {
        // Given a SKU in any case and a whole number
        // When the line is parsed, then it is a stock level of the upper-cased SKU
        assertThat(ChatCommand.parse("/stock MUG-01 0")).contains(new ChatCommand.Stock("MUG-01", 0));
        assertThat(ChatCommand.parse("/STOCK  tea-02   25 ")).contains(new ChatCommand.Stock("TEA-02", 25));
    }

    @Test
    void stockWithABadSkuOrLevelIsAClearLineAndNoCommandToPublish() {
        // When the product or the level is missing or not what a stock level is
        // Then the line says what is wrong (Help: nothing is published) and how the command is used
        assertThat(ChatCommand.parse("/stock")).contains(new Help(Optional.of("/stock needs a product and a stock level, e.g. /stock MUG-01 0")));
        assertThat(ChatCommand.parse("/stock MUG-01")).contains(new Help(Optional.of("/stock needs a product and a stock level, e.g. /stock MUG-01 0")));
        assertThat(ChatCommand.parse("/stock MUG-01 3 4")).contains(new Help(Optional.of("/stock needs a product and a stock level, e.g. /stock MUG-01 0")));
        assertThat(ChatCommand.parse("/stock blue-mug 3")).contains(new Help(Optional.of("/stock: 'blue-mug' is not a product SKU like MUG-01")));
        assertThat(ChatCommand.parse("/stock MUG01 3")).contains(new Help(Optional.of("/stock: 'MUG01' is not a product SKU like MUG-01")));
        String level = "is not a stock level (a whole number from 0 to 1000000)";
        assertThat(ChatCommand.parse("/stock MUG-01 -1")).contains(new Help(Optional.of("/stock: '-1' " + level)));
        assertThat(ChatCommand.parse("/stock MUG-01 2.5")).contains(new Help(Optional.of("/stock: '2.5' " + level)));
        assertThat(ChatCommand.parse("/stock MUG-01 many")).contains(new Help(Optional.of("/stock: 'many' " + level)));
        assertThat(ChatCommand.parse("/stock MUG-01 1000001")).contains(new Help(Optional.of("/stock: '1000001' " + level)));
        assertThat(ChatCommand.parse("/stock MUG-01 99999999999")).contains(new Help(Optional.of("/stock: '99999999999' " + level)));
    }

    @Test
    void rowPublishesACompactJsonObjectOrATombstone() {
        assertThat(ChatCommand.parse("/row shop.stock MUG-01 { \"sku\": \"MUG-01\", \"name\": \"Blue mug\", \"quantity\": 3 }"))
                .contains(new ChatCommand.Row("shop.stock", "MUG-01", Optional.of("{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"quantity\":3}")));
        assertThat(ChatCommand.parse("/row shop.stock MUG-01 null")).contains(new ChatCommand.Row("shop.stock", "MUG-01", Optional.empty()));
    }

    @Test
    void rowWithABadTopicOrARowThatIsNoJsonObjectIsAClearLine() {
        assertThat(ChatCommand.parse("/row shop.stock MUG-01")).hasValueSatisfying(command -> assertThat(command)
                .isInstanceOf(Help.class).extracting(help -> ((Help) help).unknownCommand().orElseThrow()).asString()
                .startsWith("/row needs a topic, a key and a JSON row (or null)"));
        assertThat(ChatCommand.parse("/row shop/stock MUG-01 {}")).contains(new Help(Optional.of("/row: 'shop/stock' is not a topic name")));
        assertThat(ChatCommand.parse("/row shop.stock MUG-01 [1, 2]"))
                .contains(new Help(Optional.of("/row: the row must be a JSON object, or null to delete the row")));
        assertThat(ChatCommand.parse("/row shop.stock MUG-01 {\"sku\": ")).hasValueSatisfying(command -> assertThat(command)
                .isInstanceOf(Help.class).extracting(help -> ((Help) help).unknownCommand().orElseThrow()).asString()
                .startsWith("/row: the row is not JSON ("));
    }

    @Test
    void theHelpListsTheTableCommands() {
        assertThat(ChatCommand.help()).contains("/stock <sku> <level>", "/row <topic> <key> <json>");
    }
}
