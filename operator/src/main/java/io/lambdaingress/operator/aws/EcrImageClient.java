package io.lambdaingress.operator.aws;

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
    String uri = repositoryUris.computeIfAbsent(where, k -> AwsCall.run("ECR repository " + where,
        () -> ecr.describeRepositories(q -> q.registryId(registryId).repositoryNames(repository)).repositories().get(0).repositoryUri()));
    String digest = AwsCall.run("ECR image " + where + ":" + tag,
        () -> ecr.describeImages(q -> q.registryId(registryId).repositoryName(repository)
            .imageIds(ImageIdentifier.builder().imageTag(tag).build())).imageDetails().get(0).imageDigest());
    return new PinnedImage(uri, digest);
  }

}
