package io.parley.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Everything logged through logback while it is open, from a given level up (every level by default). */
final class CapturedLogs implements AutoCloseable {

    private final Logger root;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLogs() {
        this(Level.TRACE);
    }

    CapturedLogs(Level level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
        root.setLevel(level);
    }

    /** Every event as text: level, logger, message with arguments, and any stack trace with its causes. */
    List<String> lines() {
        List<ILoggingEvent> events;
        // AppenderBase.doAppend adds to the list while holding the appender's own monitor.
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        return events.stream()
                .map(event -> event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        root.setLevel(previousLevel);
        root.detachAppender(appender);
        appender.stop();
    }
}
