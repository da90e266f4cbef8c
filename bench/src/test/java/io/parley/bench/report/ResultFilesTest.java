package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @Test
    void writesATimestampedFileAndLatestWithTheSameFigures(@TempDir Path directory) throws Exception {
        BenchReport report = ReportFixtures.sample();

        ResultFiles.Written written = new ResultFiles(directory.resolve("results")).write(report);

        assertThat(written.timestamped().getFileName()).hasToString("bench-20261124T050000Z.json");
        assertThat(written.latest().getFileName()).hasToString("latest.json");
        assertThat(Files.readString(written.timestamped())).isEqualTo(JsonReport.render(report));
        assertThat(Files.readString(written.latest())).isEqualTo(JsonReport.render(report));
    }

    @Test
    void aLaterRunReplacesLatestAndKeepsTheEarlierFile(@TempDir Path directory) throws Exception {
        BenchReport first = ReportFixtures.sample();
        BenchReport second = new BenchReport(first.startedAt().plusSeconds(3_600), first.finishedAt().plusSeconds(3_600),
                first.command(), "full", first.machine(), first.kafka(), first.scenarios(), first.comparisons());
        ResultFiles files = new ResultFiles(directory);

        ResultFiles.Written earlier = files.write(first);
        files.write(second);

        assertThat(earlier.timestamped()).exists();
        assertThat(Files.readString(directory.resolve("latest.json"))).contains("\"mode\" : \"full\"");
    }
}
