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
}
