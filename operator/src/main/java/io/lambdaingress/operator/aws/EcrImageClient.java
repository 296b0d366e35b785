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

  /** Resolves {@code repository:tag}; a missing repository or tag fails with DependencyNotFound naming it. */
  public PinnedImage resolve(String repository, String tag) {
    String uri = repositoryUris.computeIfAbsent(repository, r -> AwsCall.run("ECR repository " + r,
        () -> ecr.describeRepositories(q -> q.repositoryNames(r)).repositories().get(0).repositoryUri()));
    String digest = AwsCall.run("ECR image " + repository + ":" + tag,
        () -> ecr.describeImages(q -> q.repositoryName(repository).imageIds(ImageIdentifier.builder().imageTag(tag).build()))
            .imageDetails().get(0).imageDigest());
    return new PinnedImage(uri, digest);
  }
}
