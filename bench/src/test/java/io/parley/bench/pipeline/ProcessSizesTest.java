package io.parley.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Sizes as the JVM takes them and as Linux reports them. */
class ProcessSizesTest {

    @Test
    void heapSizesAreReadAsTheJvmReadsXmx() {
        assertThat(HeapSizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(HeapSizes.parse("2G")).isEqualTo(2L << 30);
        assertThat(HeapSizes.parse("65536k")).isEqualTo(64L << 20);
        assertThat(HeapSizes.parse("1048576")).isEqualTo(1L << 20);
    }

    @Test
    void aHeapSizeTheJvmWouldRefuseIsRefusedNamingIt() {
        assertThatThrownBy(() -> HeapSizes.parse("half a gig"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'half a gig'");
    }

    @Test
    void theResidentSetLineIsInKibibytes() {
        assertThat(ResidentSet.parseStatusLine("VmRSS:\t  358244 kB")).isEqualTo(358_244L * 1024);
    }

    @Test
    void anotherLineIsNotTakenForTheResidentSet() {
        assertThatThrownBy(() -> ResidentSet.parseStatusLine("VmHWM:\t  358244 kB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VmHWM");
    }

    @Test
    void thisProcessHasAResidentSetOnLinux() throws Exception {
        Path status = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(status), "needs Linux's /proc");
        String line = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();

        assertThat(ResidentSet.parseStatusLine(line)).isGreaterThan(16L << 20);
    }
}
