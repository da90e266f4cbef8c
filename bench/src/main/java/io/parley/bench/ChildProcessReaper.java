package io.parley.bench;

/**
 * Kills what the bench started (processor, worker and WebSocket-client JVMs) when the bench JVM ends without having
 * stopped them: a SIGTERM or Ctrl-C in the middle of a scenario. Without it those JVMs outlive the bench, keep the
 * machine's cores busy and spoil the next run's figures. The embedded broker dies with the bench, so a clean stop
 * would only hang; they are killed.
 */
final class ChildProcessReaper {

    private ChildProcessReaper() {
    }

    /** Kills every process this JVM started, and theirs, on the JVM's exit. */
    static void killChildrenOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcessReaper::killChildren, "bench-child-reaper"));
    }

    /** Kills every live descendant of this JVM now. */
    static void killChildren() {
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
