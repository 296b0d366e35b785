package io.lambdaingress.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.aws.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchedReadsTest {

  private static final Duration MAX_AGE = Duration.ofSeconds(5);
  private final List<String> all = IntStream.range(0, 200).mapToObj(i -> "arn-" + i).toList();
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  private Instant now = Instant.parse("2026-12-04T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private BatchedReads<String> reads(BatchedReads.BatchRead<String> read) {
    return new BatchedReads<>(20, MAX_AGE, clock, keys -> {
      calls.add(List.copyOf(keys));
      return read.read(keys);
    }, ElbV2Client::notFound);
  }

  private static Map<String, String> answer(List<String> keys) {
    Map<String, String> m = new HashMap<>();
    keys.forEach(k -> m.put(k, "v-" + k));
    return m;
  }

  @Test
  void aMissReadsItsKeyFirstWithNineteenStaleOthersAndTheRestWaitForTheirTurn() {
    BatchedReads<String> r = reads(BatchedReadsTest::answer);
    assertThat(r.get("arn-50", () -> all)).isEqualTo("v-arn-50");
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0)).hasSize(20).startsWith("arn-50").contains("arn-0", "arn-18").doesNotContain("arn-19");

    // Fresh: no call. Stale and not yet read: the next 20.
    assertThat(r.get("arn-5", () -> all)).isEqualTo("v-arn-5");
    assertThat(r.get("arn-120", () -> all)).isEqualTo("v-arn-120");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).startsWith("arn-120").contains("arn-19").doesNotContain("arn-50", "arn-0");

    // Older than maxAge: read again.
    now = now.plus(MAX_AGE).plusMillis(1);
    r.get("arn-5", () -> all);
    assertThat(calls).hasSize(3);
  }

  @Test
  void aCallerThatAcceptsOlderValuesReadsOnlyThoseOlderStill() {
    BatchedReads<String> r = reads(BatchedReadsTest::answer);
    r.get("arn-0", () -> all);
    now = now.plus(Duration.ofMinutes(10));
    assertThat(r.get("arn-1", Duration.ofHours(1), () -> all)).as("10 minutes old: good for an hour's age").isEqualTo("v-arn-1");
    assertThat(calls).hasSize(1);
    r.get("arn-150", Duration.ofHours(1), () -> all);
    assertThat(calls.get(1)).as("only never-read keys are read along").startsWith("arn-150").doesNotContain("arn-0", "arn-19")
        .contains("arn-20").hasSize(20);
    r.get("arn-1", () -> all);
    assertThat(calls).as("with maxAge, 10 minutes is stale").hasSize(3);
  }

  @Test
  void concurrentCallersReadEachKeyOnceInParallelCallsOfAtMostTwenty() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    BatchedReads<String> r = reads(keys -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      sleep(30);
      running.decrementAndGet();
      return answer(keys);
    });
    Map<String, String> got = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (String k : all) {
      done.add(pool.submit(() -> {
        go.await();
        got.put(k, r.get(k, () -> all));
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    all.forEach(k -> assertThat(got).containsEntry(k, "v-" + k));
    List<String> read = calls.stream().flatMap(List::stream).toList();
    assertThat(read).as("each key read once").doesNotHaveDuplicates().hasSize(all.size());
    assertThat(calls).allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(20));
    assertThat(mostAtOnce.get()).as("calls in parallel, not one at a time").isGreaterThan(1);
  }

  @Test
  void aKeyTheAnswerLeavesOutIsNotFoundForItsCaller() {
    BatchedReads<String> r = reads(keys -> {
      Map<String, String> m = answer(keys);
      m.remove("arn-3");
      return m;
    });
    assertThatThrownBy(() -> r.get("arn-3", () -> all)).isInstanceOfSatisfying(AwsFailure.class,
        f -> assertThat(f.awsErrorCode()).isEqualTo("LoadBalancerNotFound")).hasMessage("load balancer arn-3 no longer exists");
    assertThat(r.get("arn-4", () -> all)).as("read along, fresh").isEqualTo("v-arn-4");
    assertThat(calls).hasSize(1);
  }

  @Test
  void aWaiterWhoseReaderWasThrottledReadsForItself() throws Exception {
    CountDownLatch firstCallStarted = new CountDownLatch(1);
    CountDownLatch waiterWaiting = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    BatchedReads<String> r = reads(keys -> {
      if (n.incrementAndGet() == 1) {
        firstCallStarted.countDown();
        await(waiterWaiting);
        sleep(300); // the waiter joins this call meanwhile
        throw new AwsFailure(Reason.AwsThrottled, "tags of " + keys + ": Rate exceeded");
      }
      return answer(keys);
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<String> reader = pool.submit(() -> r.get("arn-1", () -> all));
    firstCallStarted.await(10, TimeUnit.SECONDS);
    Future<String> waiter = Executors.newSingleThreadExecutor().submit(() -> {
      waiterWaiting.countDown();
      return r.get("arn-2", () -> all); // arn-2 is in the first call, which fails
    });
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("v-arn-2");
    assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(AwsFailure.class);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).startsWith("arn-2");
    pool.shutdown();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
