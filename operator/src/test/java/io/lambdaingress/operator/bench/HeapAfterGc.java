package io.lambdaingress.operator.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the used heap right after a garbage collection (the live set plus what a young collection
 * left in the old generation: what the operator needs; the used size between collections is garbage
 * awaiting collection), from the JVM's GC notifications. The benchmark runs the operator in-process: its
 * own few clients count too.
 */
final class HeapAfterGc {

  private final AtomicLong peak = new AtomicLong();

  static HeapAfterGc start() {
    HeapAfterGc h = new HeapAfterGc();
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
          long used = info.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
              .mapToLong(e -> e.getValue().getUsed()).sum();
          h.peak.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    return h;
  }

  long peakMiB() {
    return peak.get() >> 20;
  }
}
