package io.parley.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a launcher of bin/ (or an image's entrypoint) the way a person would, with an environment of the test's choosing. */
record Script(Path file) {

    /** What a finished run printed and returned. */
    record Run(int exitCode, String stdout, String stderr) {

        List<String> lines() {
            return stdout.lines().toList();
        }

        /** What follows {@code prefix} on the first printed line that starts with it (a JVM option of a dry run). */
        String option(String prefix) {
            return lines().stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + lines() + "\n" + stderr));
        }
    }

    Run run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        return runIn(null, environment, arguments);
    }

    /** A run in the given working directory (null: the test's). */
    Run runIn(Path workingDirectory, Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(workingDirectory, environment, arguments);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(file + " did not finish within 30 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Starts it in the given working directory, its output (standard error too) into {@code log}, and returns at once. */
    Process start(Path workingDirectory, Map<String, String> environment, Path log, String... arguments) throws IOException {
        return builder(workingDirectory, environment, arguments).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The script run by bash with these arguments, without the caller's Parley settings but with these. */
    private ProcessBuilder builder(Path workingDirectory, Map<String, String> environment, String... arguments) {
        ProcessBuilder builder = new ProcessBuilder();
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.command().add("bash");
        builder.command().add(file.toString());
        builder.command().addAll(List.of(arguments));
        builder.environment().remove("PARLEY_MEMORY");
        builder.environment().remove("PARLEY_HEAP");
        builder.environment().remove("PARLEY_JAVA_OPTS");
        builder.environment().remove("PARLEY_CLASS_SHARING");
        builder.environment().remove("PARLEY_CLASS_SHARING_DIR");
        builder.environment().remove("PARLEY_MAIN_CLASS");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(environment);
        return builder;
    }
}
