package io.parley.bench.websocket;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The stop-the-world pauses of this JVM's collector, each as it ends, so that those of a window can
 * be summed. A collector's beans either each count pauses (G1: young, old, and the remark and
 * cleanup pauses of its concurrent cycle) or come as a pair: "… Pauses" and "… Cycles" (ZGC,
 * Shenandoah). The cycles run concurrently with the application and are not pauses: they are left
 * out. The JVM reports each pause in whole milliseconds, so pauses shorter than 1 ms count as 0 ms.
 */
public final class GcPauses implements AutoCloseable {

    /**
     * The pauses that ended in a window.
     *
     * @param count pauses
     * @param totalMillis their sum
     * @param longestMillis the longest (0 without a pause)
     * @param collectors the collector beans counted, e.g. "ZGC Minor Pauses, ZGC Major Pauses"
     */
    public record Summary(long count, long totalMillis, long longestMillis, String collectors) {
    }

    private record Pause(long endNanos, long millis) {
    }

    private final LongSupplier nanoTime;
    private final List<Pause> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;

    GcPauses(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Starts recording this JVM's pauses. */
    public static GcPauses record(LongSupplier nanoTime) {
        GcPauses gc = new GcPauses(nanoTime);
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (countsPauses(bean.getName()) && bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gc.listener, null, null);
                gc.emitters.add(emitter);
                gc.names.add(bean.getName());
            }
        }
        return gc;
    }

    /** Whether a collector bean of this name counts pauses (not concurrent cycles). */
    static boolean countsPauses(String beanName) {
        return !beanName.toLowerCase(Locale.ROOT).contains("cycles");
    }

    private void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        long now = nanoTime.getAsLong();
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        add(now, info.getGcInfo().getDuration());
    }

    /** Records a pause that ended at {@code endNanos} (also the listener's own step). */
    void add(long endNanos, long millis) {
        synchronized (pauses) {
            pauses.add(new Pause(endNanos, Math.max(0, millis)));
        }
    }

    /** The pauses that ended in {@code [fromNanos, toNanos)}. */
    public Summary between(long fromNanos, long toNanos) {
        long count = 0;
        long total = 0;
        long longest = 0;
        synchronized (pauses) {
            for (Pause p : pauses) {
                if (p.endNanos() >= fromNanos && p.endNanos() < toNanos) {
                    count++;
                    total += p.millis();
                    longest = Math.max(longest, p.millis());
                }
            }
        }
        return new Summary(count, total, longest, String.join(", ", names));
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // Already gone.
            }
        }
    }
}
