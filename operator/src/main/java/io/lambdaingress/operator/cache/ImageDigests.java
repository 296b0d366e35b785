package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.EcrImageClient;
import io.lambdaingress.operator.aws.EcrImageClient.PinnedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The digests the tags in use point at, shared by all objects' reconciles: per repository, one DescribeImages
 * for every tag any object uses (up to 100 a call) instead of one per object, each read kept for
 * {@code maxAge} at most (the same short window as {@link ElbInventory}'s, so a pushed image still rolls
 * within one resync period plus that window, or at once on its ECR event).
 */
public final class ImageDigests {

  private record Repository(String registryId, String name) {}

  private final EcrImageClient ecr;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<Repository, Set<String>> tagsInUse = new ConcurrentHashMap<>();
  private final Map<Repository, Timestamped<Map<String, String>>> reads = new ConcurrentHashMap<>();

  public ImageDigests(EcrImageClient ecr, Duration maxAge, Clock clock) {
    this.ecr = ecr;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** The image by digest: as given, or the tag's current digest in its registry (Lambda runs images of its own region only). */
  public PinnedImage pin(io.lambdaingress.operator.model.ImageRef image, String region) {
    String[] pinned = image.pinnedParts();
    if (pinned != null) {
      return new PinnedImage(pinned[0], pinned[1]);
    }
    if (image.region() != null && !image.region().equals(region)) {
      throw new AwsFailure(io.lambdaingress.operator.aws.Reason.InvalidSpec, "spec.lambda.function.image.uri: "
          + "the image is in " + image.region() + " but the function is in " + region + "; Lambda runs images from its own region only");
    }
    return resolve(image.registryId(), image.repository(), image.tag());
  }

  /** {@code repository:tag} pinned to its current digest; a missing repository or tag fails as {@link EcrImageClient#resolve} does. */
  public PinnedImage resolve(String registryId, String repository, String tag) {
    Repository repo = new Repository(registryId, repository);
    Set<String> tags = tagsInUse.computeIfAbsent(repo, r -> ConcurrentHashMap.newKeySet());
    tags.add(tag);
    Timestamped<Map<String, String>> read = reads.get(repo);
    if (stale(read, tag)) {
      // One read at a time per repository: a resync wave's objects find it fresh after the first.
      synchronized (tags) {
        read = reads.get(repo);
        if (stale(read, tag)) {
          read = readAll(repo, tags, tag);
        }
      }
    }
    return new PinnedImage(ecr.repositoryUri(registryId, repository), read.value().get(tag));
  }

  /** A push to the repository was seen (its change event): its next use reads it afresh. */
  public void pushedTo(String repository) {
    reads.keySet().removeIf(r -> r.name().equals(repository));
  }

  private boolean stale(Timestamped<Map<String, String>> read, String tag) {
    return read == null || !read.notOlderThan(maxAge, clock.instant()) || !read.value().containsKey(tag);
  }

  private Timestamped<Map<String, String>> readAll(Repository repo, Set<String> tags, String needed) {
    Instant at = clock.instant();
    Timestamped<Map<String, String>> read;
    try {
      read = new Timestamped<>(at, Map.copyOf(ecr.digests(repo.registryId(), repo.name(), Set.copyOf(tags))));
    } catch (AwsFailure f) {
      if (!f.isNotFound()) {
        throw f;
      }
      // A tag some object used is gone (or never was): forget the others until they are asked for again,
      // and answer this one alone (its own not-found names it).
      tags.retainAll(Set.of(needed));
      read = new Timestamped<>(at, Map.of(needed, ecr.resolve(repo.registryId(), repo.name(), needed).digest()));
    }
    reads.put(repo, read);
    return read;
  }
}
