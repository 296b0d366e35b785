package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.AwsIdPatterns;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which image the function runs, before it is pinned: an ECR repository and tag (resolved to a digest on
 * every reconcile, so a new image behind the tag rolls the function), or a URI already pinned by digest.
 *
 * @param registryId the ECR registry (account) of a tagged URI, or null for the operator's own
 * @param region the region of a tagged URI, or null for the operator's own (Lambda needs the image there)
 */
public record ImageRef(String repository, String tag, String pinnedUri, String registryId, String region) {

  // <registry>/<repository>@sha256:<hex>   |   <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>
  // The same expressions as the CRD's pattern for image.uri, so what the API server accepts is understood here.
  private static final Pattern PINNED = Pattern.compile(AwsIdPatterns.PINNED_IMAGE_URI);
  private static final Pattern ECR_TAGGED = Pattern.compile(AwsIdPatterns.ECR_TAGGED_IMAGE_URI);

  public static ImageRef tagged(String repository, String tag) {
    return new ImageRef(repository, tag == null ? "latest" : tag, null, null, null);
  }

  /** From a spec's image.uri; null when it names neither a pinned image nor an ECR repository:tag. */
  public static ImageRef fromUri(String uri) {
    if (PINNED.matcher(uri).matches()) {
      return new ImageRef(null, null, uri, null, null);
    }
    Matcher m = ECR_TAGGED.matcher(uri);
    if (m.matches()) {
      // Keep whose registry and which region: resolving it in the operator's own would pick another image.
      return new ImageRef(m.group(3), m.group(4), null, m.group(1), m.group(2));
    }
    return null;
  }

  /** The registry/repository part and the digest of a pinned URI, or null when this ref is a tag. */
  public String[] pinnedParts() {
    if (pinnedUri == null) {
      return null;
    }
    Matcher m = PINNED.matcher(pinnedUri);
    m.matches();
    return new String[] {m.group(1), m.group(2)};
  }
}
