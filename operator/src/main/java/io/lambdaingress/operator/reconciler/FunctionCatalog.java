package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.OwnedResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * The functions that may be ours, for discovery by owner tags: the account's functions listed at most every
 * {@code maxAge} (ListFunctions, 50 a call), and the tags of those that look like ours.
 *
 * <p>ListFunctions returns no tags, and one tag read per function of the account would cost as many calls
 * as there are functions. Every function the operator creates carries {@code LAMBDA_INGRESS_HEALTH_PATH} in
 * its environment (ChainModel), which ListFunctions does return: only those get a tag read, at most once per
 * {@code tagAge} each, and our own tag writes update the cache. Cached tags only select candidates; whatever
 * is deleted is read afresh first ({@link OwnedDeletion}).
 */
final class FunctionCatalog {

  private record Listing(Instant at, List<FunctionConfiguration> functions) {}

  // "Fresh" is this recent at most: N objects converging together after writes share one listing.
  static final Duration FRESH = Duration.ofSeconds(5);

  private record Tags(Instant at, Map<String, String> tags) {}

  private final LambdaFunctionClient lambda;
  private final Duration maxAge;
  private final Duration tagAge;
  private final Clock clock;
  private Listing listing;
  private final Map<String, Tags> tags = new ConcurrentHashMap<>();

  FunctionCatalog(LambdaFunctionClient lambda, Duration maxAge, Duration tagAge, Clock clock) {
    this.lambda = lambda;
    this.maxAge = maxAge;
    this.tagAge = tagAge;
    this.clock = clock;
  }

  /** Our candidates with their tags; {@code fresh}: from a listing at most {@link #FRESH} old (or maxAge if shorter). */
  synchronized List<OwnedResource> candidates(boolean fresh) {
    Listing l = listing;
    Duration age = fresh && FRESH.compareTo(maxAge) < 0 ? FRESH : maxAge;
    if (l == null || l.at().plus(age).isBefore(clock.instant())) {
      l = new Listing(clock.instant(), lambda.allFunctions());
      listing = l;
      Set<String> listed = l.functions().stream().map(FunctionConfiguration::functionArn).collect(Collectors.toSet());
      tags.keySet().retainAll(listed);
    }
    List<OwnedResource> found = new ArrayList<>();
    for (FunctionConfiguration f : l.functions()) {
      if (f.environment() == null || !f.environment().variables().containsKey(ChainModel.HEALTH_PATH_ENV)) {
        continue;
      }
      Map<String, String> t = tags.compute(f.functionArn(), (arn, c) -> c != null && !c.at().plus(tagAge).isBefore(clock.instant()) ? c
          : new Tags(clock.instant(), Map.copyOf(lambda.tags(arn).orElse(Map.of())))).tags();
      if (t.containsKey(ChainModel.TAG_CLUSTER)) {
        found.add(new OwnedResource(OwnedResource.Kind.FUNCTION, f.functionArn(), f.functionName(), t));
      }
    }
    return found;
  }

  /** After our own tag write: the function's tags as they are now. */
  void rememberTags(String functionArn, Map<String, String> current) {
    tags.put(functionArn, new Tags(clock.instant(), Map.copyOf(current)));
  }

  /** After we deleted it: gone from the listing until the next one. */
  synchronized void forget(String functionArn) {
    if (listing != null) {
      listing = new Listing(listing.at(), listing.functions().stream().filter(f -> !f.functionArn().equals(functionArn)).toList());
    }
    tags.remove(functionArn);
  }
}
