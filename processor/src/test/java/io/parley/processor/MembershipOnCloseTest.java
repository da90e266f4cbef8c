package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.junit.jupiter.api.Test;

class MembershipOnCloseTest {

    @Test
    void aDynamicMemberLeavesItsGroupOnClose() {
        assertThat(ProcessorAssembler.membershipOnClose(Map.of("application.id", "parley"), false))
                .isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
    }

    @Test
    void aStaticMemberStaysSoARestartMovesNoPartitions() {
        assertThat(ProcessorAssembler.membershipOnClose(Map.of("group.instance.id", "parley-1"), false))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(ProcessorAssembler.membershipOnClose(Map.of("main.consumer.group.instance.id", "parley-1"), false))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(ProcessorAssembler.membershipOnClose(Map.of("consumer.group.instance.id", "parley-1"), false))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    @Test
    void aStaticMemberToldToLeaveLeavesSoSurvivorsTakeOverAtOnce() {
        assertThat(ProcessorAssembler.membershipOnClose(Map.of("group.instance.id", "parley-1"), true))
                .isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
    }
}
