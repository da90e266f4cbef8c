package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildProcessReaperTest {

    @Test
    void aBenchStoppedWithSigtermTakesItsChildProcessesWithIt() throws Exception {
        ProcessHandle child = childOfAParentStoppedWithSigterm(true);
        assertThat(waitForExit(child)).as("the child of a parent with the reaper").isTrue();
    }

    @Test
    void withoutTheReaperTheChildOutlivesItsParent() throws Exception {
        ProcessHandle child = childOfAParentStoppedWithSigterm(false);
        try {
            assertThat(waitForExit(child)).as("the child of a parent without the reaper").isFalse();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts {@link Parent} in a JVM of its own, reads its child's pid, stops it with SIGTERM. */
    private static ProcessHandle childOfAParentStoppedWithSigterm(boolean reaper) throws Exception {
        Process parent = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Parent.class.getName(), Boolean.toString(reaper)))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long childPid;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                childPid = Long.parseLong(out.readLine().trim());
            }
            Optional<ProcessHandle> child = ProcessHandle.of(childPid);
            assertThat(child).as("the child runs before its parent stops").isPresent();
            parent.destroy();
            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).as("the parent stopped").isTrue();
            return child.orElseThrow();
        } finally {
            parent.destroyForcibly();
        }
    }

    private static boolean waitForExit(ProcessHandle process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A stand-in for the bench: starts a long-lived child, prints its pid and waits to be stopped. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[0])) {
                ChildProcessReaper.killChildrenOnExit();
            }
            Process child = new ProcessBuilder("sleep", "300").start();
            System.out.println(child.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
