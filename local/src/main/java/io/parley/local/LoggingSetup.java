package io.parley.local;

/**
 * Chooses the logging setup of a command-line entry point. Each main of this module shares
 * the terminal with something else (a chat, a script reading replies, container logs), so each
 * names its own logback file; a {@code -Dlogback.configurationFile} given by the user wins.
 * Must run before anything asks for a logger.
 */
public final class LoggingSetup {

    private LoggingSetup() {
    }

    /** Uses this class path resource as the logback configuration, unless one was given. */
    public static void use(String resource) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", resource);
        }
    }
}
