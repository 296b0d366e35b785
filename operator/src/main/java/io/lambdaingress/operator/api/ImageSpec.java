package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The function's container image: an ECR repository and tag in this account and region, or a full URI. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.repository) != has(self.uri)", message = "set exactly one of image.repository (with image.tag) and image.uri")
@ValidationRule(value = "!has(self.tag) || has(self.repository)", message = "image.tag goes with image.repository")
public class ImageSpec {

  @Pattern("^[a-z0-9]+([._/-][a-z0-9]+)*$")
  @Size(max = 256)
  @JsonPropertyDescription("ECR repository name in the operator's account and region. Refused at apply when not a "
      + "repository name; DependencyNotFound when the repository or the tag does not exist; AwsAccessDenied when its "
      + "repository policy does not let lambda.amazonaws.com pull (docs/install.md, step 5).")
  private String repository;

  @Size(max = 128)
  @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
  @JsonPropertyDescription("Tag in the repository (default latest). Resolved to a digest; when a new image is pushed under the tag, the function is updated within one resync.")
  private String tag;

  @Size(max = 512)
  @Pattern(AwsIdPatterns.IMAGE_URI)
  @JsonPropertyDescription("A full image URI: <registry>/<repository>@sha256:<digest> is used as it is; "
      + "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> is resolved to a digest like repository/tag "
      + "(the region must be the operator's: Lambda runs images from its own region). Alternative to repository/tag.")
  private String uri;

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }
}
