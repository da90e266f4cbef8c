package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TurnIdsTest {

    private final TurnIds ids = new TurnIds("S2-eos.rate1000");

    @Test
    void anEventIdLeadsBackToItsTurn() {
        assertThat(ids.sequenceOf(ids.eventId(4_711))).isEqualTo(4_711);
    }

    @Test
    void idsOfAnotherPhaseOrMalformedIdsAreForeign() {
        assertThat(ids.sequenceOf(new TurnIds("S2-eos.max").eventId(7))).isEqualTo(TurnIds.FOREIGN);
        assertThat(ids.sequenceOf("S2-eos.rate1000-")).isEqualTo(TurnIds.FOREIGN);
        assertThat(ids.sequenceOf("S2-eos.rate1000-x1")).isEqualTo(TurnIds.FOREIGN);
        assertThat(ids.sequenceOf(null)).isEqualTo(TurnIds.FOREIGN);
    }
}
