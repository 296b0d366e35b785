package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.OwnedResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/**
 * The functions that may be ours, for discovery by owner tags: the account's functions listed at most every
 * {@code maxAge} (ListFunctions, 50 a call), and the tags of those that look like ours.
 *
 * <p>ListFunctions returns no tags, and one tag read per function of the account would cost as many calls
 * as there are functions. Every function the operator creates carries {@code LAMBDA_INGRESS_HEALTH_PATH} in
 * its environment (ChainModel), which ListFunctions does return: only those get a tag read, at most once per
 * {@code tagAge} each. Cached tags only select candidates; whatever is deleted is read afresh first
 * (OwnedDeletion). Writes made through it ({@link #tag}, {@link #delete}) update it, so no caller keeps it
 * in step by hand.
 */
public final class FunctionCatalog {

  // "Fresh" is this recent at most: N objects converging together after writes share one listing.
  static final Duration FRESH = Duration.ofSeconds(5);

  private final LambdaFunctionClient lambda;
  private final Duration maxAge;
  private final Duration tagAge;
  private final Clock clock;
  private Timestamped<List<FunctionConfiguration>> listing;
  private final Map<String, Timestamped<Map<String, String>>> tags = new ConcurrentHashMap<>();

  public FunctionCatalog(LambdaFunctionClient lambda, Duration maxAge, Duration tagAge, Clock clock) {
    this.lambda = lambda;
    this.maxAge = maxAge;
    this.tagAge = tagAge;
    this.clock = clock;
  }

  /** Our candidates with their tags; {@code fresh}: from a listing at most {@link #FRESH} old (or maxAge if shorter). */
  public List<OwnedResource> candidates(boolean fresh) {
    Duration age = fresh && FRESH.compareTo(maxAge) < 0 ? FRESH : maxAge;
    return candidates(clock.instant().minus(age));
  }

  /**
   * Our candidates from a listing that began at {@code listedSince} or later: it shows every function created
   * before that instant. A deleted object asks for one begun after its deletion did (nothing of it is created
   * later), which one listing serves for every object deleted before it began. An age instead made a mass
   * deletion list again and again: callers wait here while a listing of 500 functions runs, and find it older
   * than 5 s by the time they get it.
   */
  public synchronized List<OwnedResource> candidates(Instant listedSince) {
    Timestamped<List<FunctionConfiguration>> l = listing;
    if (l == null || l.at().isBefore(listedSince)) {
      l = new Timestamped<>(clock.instant(), lambda.allFunctions());
      listing = l;
      Set<String> listed = l.value().stream().map(FunctionConfiguration::functionArn).collect(Collectors.toSet());
      tags.keySet().retainAll(listed);
    }
    List<OwnedResource> found = new ArrayList<>();
    for (FunctionConfiguration f : l.value()) {
      if (f.environment() == null || !f.environment().variables().containsKey(ChainModel.HEALTH_PATH_ENV)) {
        continue;
      }
      Map<String, String> t = tags.compute(f.functionArn(), (arn, c) -> c != null && c.notOlderThan(tagAge, clock.instant()) ? c
          : new Timestamped<>(clock.instant(), Map.copyOf(lambda.tags(arn).orElse(Map.of())))).value();
      if (t.containsKey(ChainModel.TAG_CLUSTER)) {
        found.add(new OwnedResource(OwnedResource.Kind.FUNCTION, f.functionArn(), f.functionName(), t));
      }
    }
    return found;
  }

  /** Adds {@code added} to the tags of a function whose tags are {@code observed}; kept as the write left them. */
  public void tag(String functionArn, Map<String, String> observed, Map<String, String> added) {
    lambda.tag(functionArn, added);
    Map<String, String> now = new java.util.HashMap<>(observed);
    now.putAll(added);
    tags.put(functionArn, new Timestamped<>(clock.instant(), Map.copyOf(now)));
  }

  /**
   * The function read afresh (a deletion must see exactly what is there now), and kept as read: one gone
   * leaves the listing, one whose tags changed is a candidate by its tags as they are now.
   */
  public Optional<GetFunctionResponse> fresh(String nameOrArn) {
    Optional<GetFunctionResponse> read = lambda.function(nameOrArn);
    read.ifPresentOrElse(f -> tags.put(f.configuration().functionArn(),
        new Timestamped<>(clock.instant(), Map.copyOf(f.tags() == null ? Map.of() : f.tags()))), () -> drop(nameOrArn));
    return read;
  }

  /** The adapter, for the calls this does not keep. */
  public LambdaFunctionClient client() {
    return lambda;
  }

  /**
   * Deletes the function; once AWS accepted it (or answered that it is gone already), it is gone from the
   * listing until the next one. A deletion AWS refuses leaves it listed.
   */
  public void delete(String nameOrArn) {
    try {
      lambda.delete(nameOrArn);
    } catch (AwsFailure f) {
      if (f.isNotFound()) {
        drop(nameOrArn);
      }
      throw f;
    }
    drop(nameOrArn);
  }

  private synchronized void drop(String nameOrArn) {
    if (listing != null) {
      listing = new Timestamped<>(listing.at(), listing.value().stream()
          .filter(f -> !f.functionArn().equals(nameOrArn) && !f.functionName().equals(nameOrArn)).toList());
    }
    tags.keySet().removeIf(arn -> arn.equals(nameOrArn) || arn.endsWith(":function:" + nameOrArn));
  }
}
