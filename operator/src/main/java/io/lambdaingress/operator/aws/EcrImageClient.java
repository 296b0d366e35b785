package io.lambdaingress.operator.aws;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/** ECR reads: which digest a repository's tag points at now (a new digest rolls the function). */
public final class EcrImageClient {

  /** An image pinned by digest: what the function is created or updated with. */
  public record PinnedImage(String repositoryUri, String digest) {
    public String uri() {
      return repositoryUri + "@" + digest;
    }
  }

  // DescribeImages takes at most 100 image ids (ECR API reference, DescribeImages, imageIds).
  static final int IMAGE_IDS = 100;

  private final EcrClient ecr;
  // A repository's URI never changes for a given name: look it up once per process.
  private final Map<String, String> repositoryUris = new ConcurrentHashMap<>();

  EcrImageClient(EcrClient ecr) {
    this.ecr = ecr;
  }

  /** Resolves {@code repository:tag} in the operator's own registry. */
  public PinnedImage resolve(String repository, String tag) {
    return resolve(null, repository, tag);
  }

  /**
   * Resolves {@code repository:tag} in the registry of account {@code registryId} (null: the operator's own);
   * a missing repository or tag fails with DependencyNotFound naming it.
   */
  public PinnedImage resolve(String registryId, String repository, String tag) {
    String where = (registryId == null ? "" : registryId + "/") + repository;
    // The repository first (cached, so no extra read later): a missing repository is named as such, not as a tag.
    String uri = repositoryUri(registryId, repository);
    String digest = AwsCall.run("ECR image " + where + ":" + tag,
        () -> ecr.describeImages(q -> q.registryId(registryId).repositoryName(repository)
            .imageIds(ImageIdentifier.builder().imageTag(tag).build())).imageDetails().get(0).imageDigest());
    return new PinnedImage(uri, digest);
  }

  /** The repository's URI (registry/repository), looked up once per process. */
  public String repositoryUri(String registryId, String repository) {
    String where = (registryId == null ? "" : registryId + "/") + repository;
    return repositoryUris.computeIfAbsent(where, k -> AwsCall.run("ECR repository " + where,
        () -> ecr.describeRepositories(q -> q.registryId(registryId).repositoryNames(repository)).repositories().get(0).repositoryUri()));
  }

  /**
   * The current digest of each of these tags of one repository: one DescribeImages per {@value #IMAGE_IDS}
   * tags (the API's limit on imageIds). A tag that is not there makes the whole call fail (ImageNotFound):
   * the caller then resolves the tag it needs alone.
   */
  public Map<String, String> digests(String registryId, String repository, Collection<String> tags) {
    String where = (registryId == null ? "" : registryId + "/") + repository;
    List<String> all = List.copyOf(tags);
    Map<String, String> digests = new HashMap<>();
    for (int i = 0; i < all.size(); i += IMAGE_IDS) {
      List<ImageIdentifier> ids = all.subList(i, Math.min(all.size(), i + IMAGE_IDS)).stream()
          .map(t -> ImageIdentifier.builder().imageTag(t).build()).toList();
      AwsCall.run("ECR images " + where + " " + all, () -> ecr.describeImages(q -> q.registryId(registryId).repositoryName(repository)
          .imageIds(ids)).imageDetails()).forEach(d -> d.imageTags().forEach(t -> digests.put(t, d.imageDigest())));
    }
    digests.keySet().retainAll(all);
    return digests;
  }

}
