package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.AwsFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Values AWS serves by key in batches (DescribeTags: 20 ARNs a call; DescribeListeners: 20 listener ARNs),
 * shared by every reconcile and kept for {@code maxAge}.
 *
 * <p>A caller whose key is not fresh reads it in one call together with up to {@code batchSize - 1} other
 * stale keys that no one is reading at that moment (the objects of a resync wave reconcile concurrently and
 * would otherwise each read the same keys). A caller whose key is being read by another waits for that one
 * call. Calls run in parallel, each key in at most one at a time. One lock for a sweep of every stale key
 * was the earlier design: under throttling a sweep of thousands of ARNs took longer than {@code maxAge},
 * the next holder started over, and every reconcile waited on the lock (bench-scale --faults 500 stalled at
 * about 150 of 500 Ready).
 *
 * @param <V> the value of one key
 */
final class BatchedReads<V> {

  /**
   * One call for these keys, the requested one first. A key the answer leaves out is gone (deleted out of
   * band): its callers get {@code gone}'s not-found, which makes them list AWS afresh.
   */
  interface BatchRead<V> {
    Map<String, V> read(List<String> keys);
  }

  private final Function<String, AwsFailure> gone;
  private final int batchSize;
  private final Duration maxAge;
  private final Clock clock;
  private final BatchRead<V> batchRead;
  private final Map<String, Timestamped<V>> values = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<V>>> inFlight = new ConcurrentHashMap<>();

  /** @param gone the failure for a key the answer left out: a not-found with the code AWS gives for it */
  BatchedReads(int batchSize, Duration maxAge, Clock clock, BatchRead<V> batchRead, Function<String, AwsFailure> gone) {
    this.gone = gone;
    this.batchSize = batchSize;
    this.maxAge = maxAge;
    this.clock = clock;
    this.batchRead = batchRead;
  }

  /**
   * The fresh value of {@code key}, read if need be.
   *
   * @param candidates keys worth reading along (those that are fresh or being read are skipped)
   */
  V get(String key, Supplier<? extends Iterable<String>> candidates) {
    return get(key, maxAge, candidates);
  }

  /** The same, accepting a value up to {@code age} old (candidates are those older than that too). */
  V get(String key, Duration age, Supplier<? extends Iterable<String>> candidates) {
    while (true) {
      Optional<V> fresh = fresh(key, age);
      if (fresh.isPresent()) {
        return fresh.get();
      }
      CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
      CompletableFuture<Optional<V>> other = inFlight.putIfAbsent(key, mine);
      if (other == null) {
        // A call may have finished between the look above and the claim (it caches before it lets go): look again.
        Optional<V> justRead = fresh(key, age);
        if (justRead.isPresent()) {
          inFlight.remove(key, mine);
          mine.complete(justRead);
          return justRead.get();
        }
        return found(key, read(key, age, mine, candidates));
      }
      try {
        return found(key, other.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof AwsFailure f && !f.isNotFound()) {
          continue; // the other call failed for its own reasons (throttled to the end): this caller reads for itself
        }
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
  }

  private Optional<V> read(String key, Duration age, CompletableFuture<Optional<V>> mine, Supplier<? extends Iterable<String>> candidates) {
    Map<String, CompletableFuture<Optional<V>>> claimed = new LinkedHashMap<>();
    claimed.put(key, mine);
    try {
      for (String k : candidates.get()) {
        if (claimed.size() >= batchSize) {
          break;
        }
        if (!claimed.containsKey(k) && fresh(k, age).isEmpty()) {
          CompletableFuture<Optional<V>> f = new CompletableFuture<>();
          if (inFlight.putIfAbsent(k, f) == null) {
            Optional<V> justRead = fresh(k, age);
            if (justRead.isEmpty()) {
              claimed.put(k, f);
            } else {
              inFlight.remove(k, f); // read by a call that has just finished
              f.complete(justRead);
            }
          }
        }
      }
      Instant now = clock.instant();
      Map<String, V> read = batchRead.read(new ArrayList<>(claimed.keySet()));
      claimed.forEach((k, f) -> {
        V v = read.get(k);
        if (v == null) {
          values.remove(k);
        } else {
          values.put(k, new Timestamped<>(now, v));
        }
        f.complete(Optional.ofNullable(v));
      });
      return mine.join();
    } catch (RuntimeException | Error e) {
      // Every claimed key's waiters are released, whatever ended the call: a future left open is a reconcile
      // blocked for good (JOSDK runs no other reconcile of that object meanwhile).
      claimed.values().forEach(f -> f.completeExceptionally(e));
      throw e;
    } finally {
      claimed.forEach(inFlight::remove);
    }
  }

  private V found(String key, Optional<V> v) {
    return v.orElseThrow(() -> gone.apply(key));
  }

  private Optional<V> fresh(String key, Duration age) {
    Timestamped<V> c = values.get(key);
    return c != null && c.notOlderThan(age, clock.instant()) ? Optional.of(c.value()) : Optional.empty();
  }

  /** The value as last read or written, however old (null when never). */
  Timestamped<V> last(String key) {
    return values.get(key);
  }

  boolean isFresh(String key) {
    return fresh(key, maxAge).isPresent();
  }

  /** Our own write's result: fresh from now. */
  void put(String key, V value) {
    values.put(key, new Timestamped<>(clock.instant(), value));
  }

  /** Changes a value we hold, keeping its read time (what we wrote joins what we read). */
  void update(String key, UnaryOperator<V> change) {
    values.computeIfPresent(key, (k, c) -> new Timestamped<>(c.at(), change.apply(c.value())));
  }

  void remove(String key) {
    values.remove(key);
  }

  void retainOnly(Set<String> keys) {
    values.keySet().retainAll(keys);
  }

  /** Keys held, fresh or not. */
  List<String> keys() {
    return List.copyOf(values.keySet());
  }

  void clear() {
    values.clear();
  }
}
