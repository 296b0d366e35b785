package io.lambdaingress.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak of the used heap right after a garbage collection (the live set, what the operator needs; the
 * heap's used size between collections is garbage awaiting collection), sampled every second. The benchmark
 * runs the operator in-process: its own few clients count too.
 */
final class HeapAfterGc {

  private final AtomicLong peak = new AtomicLong();

  static HeapAfterGc start() {
    HeapAfterGc h = new HeapAfterGc();
    Thread t = new Thread(() -> {
      while (true) {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
            used += pool.getCollectionUsage().getUsed();
          }
        }
        h.peak.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-after-gc");
    t.setDaemon(true);
    t.start();
    return h;
  }

  long peakMiB() {
    return peak.get() >> 20;
  }
}
