package io.parley.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The class data S6's {@code restart.classdata} and {@code rolling.classdata} give their processors: the kind the launchers use on that Java. */
class ClassDataSharingTest {

    private static final Path DIRECTORY = Path.of("/work/case");

    @Test
    void onJava25AndLaterAnAotCacheIsTrainedAndThenUsed() {
        ClassDataSharing classData = ClassDataSharing.forJava(25, DIRECTORY);

        assertThat(classData.trainingOptions()).containsExactly("-XX:AOTCacheOutput=/work/case/processor.aot");
        assertThat(classData.useOptions()).containsExactly("-XX:AOTCache=/work/case/processor.aot");
        assertThat(classData.describe()).startsWith("AOT cache");
    }

    @Test
    void beforeJava25AnArchiveIsWrittenAtExitAndThenMapped() {
        ClassDataSharing classData = ClassDataSharing.forJava(17, DIRECTORY);

        assertThat(classData.trainingOptions()).containsExactly("-XX:ArchiveClassesAtExit=/work/case/processor.jsa");
        assertThat(classData.useOptions()).containsExactly("-XX:SharedArchiveFile=/work/case/processor.jsa");
        assertThat(classData.describe()).startsWith("AppCDS archive");
    }

    @Test
    void eachOfSeveralProcessorsTrainsAndMapsAFileOfItsOwn() {
        ClassDataSharing aot = ClassDataSharing.forJava(25, DIRECTORY);
        ClassDataSharing archive = ClassDataSharing.forJava(17, DIRECTORY);

        assertThat(aot.ofProcessor(0).trainingOptions()).containsExactly("-XX:AOTCacheOutput=/work/case/processor-0.aot");
        assertThat(aot.ofProcessor(1).useOptions()).containsExactly("-XX:AOTCache=/work/case/processor-1.aot");
        assertThat(archive.ofProcessor(1).trainingOptions()).containsExactly("-XX:ArchiveClassesAtExit=/work/case/processor-1.jsa");
        assertThat(archive.ofProcessor(1).describe()).isEqualTo(archive.describe());
    }

    @Test
    void theReportDescribesTheKindTheJvmsOfThisJavaGetBeforeAnyFileExists() {
        assertThat(ClassDataSharing.describeForThisJava())
                .isEqualTo(ClassDataSharing.forThisJava(DIRECTORY).describe());
    }
}
