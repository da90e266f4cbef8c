package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpokenDurationTest {

    @ParameterizedTest
    @CsvSource({
        "mute for 3 hours, PT3H",
        "Mute for 30 min, PT30M",
        "snooze 2h, PT2H",
        "silence it for a day, P1D",
        "mute for an hour please, PT1H",
        "mute for half an hour, PT30M",
        "mute for 90 minutes, PT90M",
        "mute it for 1 week, P7D",
        "snooze (10m), PT10M"})
    void aDurationInTheMessageIsHeard(String message, String expected) {
        assertThat(SpokenDuration.find(message)).contains(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "mute it",
        "mute the alarm for me",
        "mute for 1.5 hours",
        "mute until tomorrow",
        "mute for 0 hours",
        "than hello"})
    void noDurationIsHeardWhereNoneIsSaid(String message) {
        assertThat(SpokenDuration.find(message)).isEmpty();
    }

    @Test
    void aReplySaysItInTheLargestWholeUnit() {
        assertThat(SpokenDuration.words(Duration.ofHours(3))).isEqualTo("3 hours");
        assertThat(SpokenDuration.words(Duration.ofHours(1))).isEqualTo("1 hour");
        assertThat(SpokenDuration.words(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(SpokenDuration.words(Duration.ofDays(2))).isEqualTo("2 days");
    }

    @Test
    void aMuteHoldsWhatTheUserAsksWithinOneMinuteAndSevenDays() {
        MuteAction mute = new MuteAction(Duration.ofHours(1), MuteAction.Scope.DEVICE, true);

        assertThat(mute.durationFor("mute for 3 hours")).isEqualTo(Duration.ofHours(3));
        assertThat(mute.durationFor("mute for 3 weeks")).isEqualTo(MuteAction.MAX);
        assertThat(mute.durationFor("mute it")).isEqualTo(Duration.ofHours(1));
        assertThat(new MuteAction(Duration.ofHours(1), MuteAction.Scope.DEVICE, false).durationFor("mute for 3 hours"))
                .isEqualTo(Duration.ofHours(1));
        assertThat(MuteAction.unmute(MuteAction.Scope.RULE).durationFor("unmute for 3 hours")).isZero();
    }

    @Property(tries = 300)
    void anyMessageGivesAPositiveDurationOrNone(@ForAll String message) {
        Optional<Duration> heard = SpokenDuration.find(message);

        heard.ifPresent(duration -> assertThat(duration).isPositive());
    }
}
