package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {

    @Test
    void theCpuModelIsTheFirstModelNameOfCpuinfo(@TempDir Path directory) throws Exception {
        Path cpuinfo = Files.writeString(directory.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n");

        assertThat(MachineInfo.cpuModel(cpuinfo)).hasValue("AMD EPYC 7B13");
    }

    @Test
    void withoutCpuinfoTheModelIsLeftOut(@TempDir Path directory) {
        assertThat(MachineInfo.cpuModel(directory.resolve("missing"))).isEmpty();
    }

    @Test
    void theCurrentMachineHasCoresAJvmAndAHeap() {
        MachineInfo machine = MachineInfo.current();

        assertThat(machine.cores()).isPositive();
        assertThat(machine.jvmVersion()).isEqualTo(Runtime.version().toString());
        assertThat(machine.maxHeapBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
    }
}
