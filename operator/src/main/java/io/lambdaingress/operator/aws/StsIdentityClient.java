package io.lambdaingress.operator.aws;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.useragent.BusinessMetricFeatureId;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.utils.IoUtils;

/**
 * STS: who the operator is in AWS. sts:GetCallerIdentity needs no IAM permission (no policy can deny it), so
 * it tests the credentials alone: IRSA, EKS Pod Identity or whatever else the SDK's default chain found.
 */
public final class StsIdentityClient {

  /**
   * The caller, and where its credentials came from as the SDK names it: the feature ids it also reports in
   * its user agent, spelled out ("CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN+CREDENTIALS_STS_ASSUME_ROLE_WEB_ID" for
   * IRSA, "CREDENTIALS_HTTP" for Pod Identity); "unknown" when it does not say.
   */
  public record Identity(String account, String arn, String credentialsProvider) {}

  private final StsClient sts;
  private final AwsCredentialsProvider credentials;

  StsIdentityClient(StsClient sts, AwsCredentialsProvider credentials) {
    this.sts = sts;
    this.credentials = credentials;
  }

  /**
   * The caller identity. Fails with an {@link AwsFailure} whose message is one line naming the fix for the
   * credential source {@code env} sets up.
   */
  public Identity whoAmI(Map<String, String> env) {
    try {
      GetCallerIdentityResponse caller = sts.getCallerIdentity();
      // Cached by the provider: the credentials the call above was signed with.
      String provider = credentials.resolveCredentials().providerName().map(StsIdentityClient::spellOut).orElse("unknown");
      return new Identity(caller.account(), caller.arn(), provider);
    } catch (SdkException e) {
      CredentialSource source = CredentialSource.of(env);
      SdkException cause = e instanceof AwsServiceException ? e : causeFromTheIntendedProvider(source, e);
      AwsFailure mapped = AwsFailure.of(cause, "sts:GetCallerIdentity");
      throw new AwsFailure(mapped.reason(), source.failure(messages(cause)), mapped.awsErrorCode(), e);
    }
  }

  /** The SDK's provider name is a list of feature ids ("h,k"); the SDK's own enum has their names. */
  static String spellOut(String featureIds) {
    Map<String, String> names = new HashMap<>();
    for (BusinessMetricFeatureId id : BusinessMetricFeatureId.values()) {
      names.putIfAbsent(id.value(), id.name());
    }
    return Arrays.stream(featureIds.split(",")).map(String::strip).map(id -> names.getOrDefault(id, id))
        .collect(Collectors.joining("+"));
  }

  /** The exception's message and its causes' (the SDK often wraps the telling one), without repeats. */
  static String messages(Throwable e) {
    Set<String> seen = new LinkedHashSet<>();
    for (Throwable t = e; t != null && seen.size() < 4; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        seen.add(t.getMessage().strip().lines().findFirst().orElse(""));
      }
    }
    return String.join(": ", seen);
  }

  /**
   * When the chain could not load credentials, its message lists every provider it tried. Asking again only
   * the provider the environment meant gives that provider's own error (the STS refusal, the agent's answer).
   */
  private static SdkException causeFromTheIntendedProvider(CredentialSource source, SdkException chainError) {
    if (source != CredentialSource.IRSA && source != CredentialSource.POD_IDENTITY) {
      return chainError;
    }
    AwsCredentialsProvider intended = null;
    try {
      // Built inside the try: a provider may refuse its configuration already when built.
      intended = source == CredentialSource.IRSA
          ? WebIdentityTokenFileCredentialsProvider.builder().build() : ContainerCredentialsProvider.builder().build();
      intended.resolveCredentials();
      return chainError; // the provider works now: the failure was elsewhere (e.g. reaching STS)
    } catch (SdkException e) {
      return e;
    } finally {
      IoUtils.closeIfCloseable(intended, null);
    }
  }
}
