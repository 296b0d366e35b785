package io.lambdaingress.operator.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients, built the way the SDK means them to be: region, credentials and endpoint from its
 * default chains (IRSA / Pod Identity / env / profile; AWS_REGION; AWS_ENDPOINT_URL), the standard retry
 * mode without its circuit breaker ({@link #retryStrategy()}), and our call counter. No project-specific switches for what the SDK already reads. All clients share
 * one instance of the default credentials chain: one cache, one refresh (one AssumeRoleWithWebIdentity or
 * Pod Identity Agent call, not one per client), and the credentials {@link #sts()} reports are the ones used.
 */
public final class AwsClients implements AutoCloseable {

  private final AwsCallCounter counter;
  private final AwsCredentialsProvider credentials;
  private final StsClient sts;
  private final ElasticLoadBalancingV2Client elbv2;
  private final LambdaClient lambda;
  private final EcrClient ecr;
  private final Ec2Client ec2;
  private final SqsClient sqs;
  private final ElbV2Client elbV2Adapter;
  private final LambdaFunctionClient lambdaAdapter;
  private final EcrImageClient ecrAdapter;
  private final Ec2NetworkClient ec2Adapter;
  private final Ec2EndpointServiceClient endpointServiceAdapter;
  private final StsIdentityClient stsAdapter;
  private final CloudWatchClient cloudWatch;
  private final LambdaVersionClient versionAdapter;
  private final AlarmClient alarmAdapter;
  private final EventQueueClient sqsAdapter;
  private final AcmClient acm;
  private final AcmCertificateClient acmAdapter;
  private final ElbCertificatesClient elbCertificatesAdapter;
  private final Wafv2Client waf;
  private final WebAclClient wafAdapter;

  /**
   * The SDK's standard retries (3 attempts, backoff with jitter, from 1 s for throttling) without its circuit
   * breaker. The breaker is a bucket of 500 tokens per client: a retry takes 5, given back only if the retried
   * call then succeeds, and a call that succeeds at once adds 1. Much of what we ask is answered "not found"
   * (an exception to the SDK: is the NLB already gone, is there a function of this name yet): a throttled read
   * of a deleted resource keeps its 5 tokens for good. A mass deletion under throttling emptied the shared
   * bucket within minutes, and from then on no call of any object was retried (bench-scale --faults 500: 24
   * objects still undeleted after 20 minutes). The operator has its own breaker, per object: a
   * reconciliation that fails backs off from 2 s to 2 minutes (OperatorMain).
   */
  public static RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder().circuitBreakerEnabled(false).build();
  }

  public AwsClients(AwsCallCounter counter) {
    this(counter, DefaultCredentialsProvider.builder().build());
  }

  /**
   * With these credentials instead of the default chain: for an operator in a test that signs its calls with a
   * key of its own (the test world's AWS rules can be set for one caller's key). Closed with the clients when
   * closeable.
   */
  public AwsClients(AwsCallCounter counter, AwsCredentialsProvider credentials) {
    this.counter = counter;
    this.credentials = credentials;
    ClientOverrideConfiguration config = ClientOverrideConfiguration.builder()
        .retryStrategy(retryStrategy())
        .addExecutionInterceptor(counter)
        .addMetricPublisher(counter)
        .build();
    this.elbv2 = ElasticLoadBalancingV2Client.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.lambda = LambdaClient.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.ecr = EcrClient.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.ec2 = Ec2Client.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    // The event queue (optional): long polls of 20 s, within the HTTP client's 30 s socket timeout.
    this.sqs = SqsClient.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    // Asked once at start-up: bounded, so an unreachable STS costs one log line after 20 s at most.
    this.sts = StsClient.builder().credentialsProvider(credentials)
        .overrideConfiguration(config.toBuilder().apiCallTimeout(Duration.ofSeconds(20)).build()).build();
    this.elbV2Adapter = new ElbV2Client(elbv2);
    this.lambdaAdapter = new LambdaFunctionClient(lambda);
    this.ecrAdapter = new EcrImageClient(ecr);
    this.ec2Adapter = new Ec2NetworkClient(ec2);
    this.endpointServiceAdapter = new Ec2EndpointServiceClient(ec2);
    this.stsAdapter = new StsIdentityClient(sts, credentials);
    this.cloudWatch = CloudWatchClient.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.versionAdapter = new LambdaVersionClient(lambda);
    this.alarmAdapter = new AlarmClient(cloudWatch);
    this.sqsAdapter = new EventQueueClient(sqs);
    this.acm = AcmClient.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.acmAdapter = new AcmCertificateClient(acm);
    this.elbCertificatesAdapter = new ElbCertificatesClient(elbv2);
    this.waf = Wafv2Client.builder().credentialsProvider(credentials).overrideConfiguration(config).build();
    this.wafAdapter = new WebAclClient(waf);
  }

  /** The region the SDK's chain resolved (AWS_REGION, profile, instance metadata). */
  public String region() {
    return lambda.serviceClientConfiguration().region().id();
  }

  public AwsCallCounter counter() {
    return counter;
  }

  public ElbV2Client elbV2() {
    return elbV2Adapter;
  }

  public LambdaFunctionClient lambda() {
    return lambdaAdapter;
  }

  public EcrImageClient ecr() {
    return ecrAdapter;
  }

  public Ec2NetworkClient ec2() {
    return ec2Adapter;
  }

  public Ec2EndpointServiceClient endpointServices() {
    return endpointServiceAdapter;
  }

  public StsIdentityClient sts() {
    return stsAdapter;
  }

  public LambdaVersionClient lambdaVersions() {
    return versionAdapter;
  }

  public AlarmClient alarms() {
    return alarmAdapter;
  }

  public EventQueueClient sqs() {
    return sqsAdapter;
  }

  public ElbCertificatesClient elbCertificates() {
    return elbCertificatesAdapter;
  }

  public AcmCertificateClient acm() {
    return acmAdapter;
  }

  public WebAclClient webAcls() {
    return wafAdapter;
  }

  /** The access key id the operator's calls are signed with now: CloudTrail names it in userIdentity. */
  public String accessKeyId() {
    return credentials.resolveCredentials().accessKeyId();
  }

  @Override
  public void close() {
    elbv2.close();
    lambda.close();
    ecr.close();
    ec2.close();
    sqs.close();
    sts.close();
    cloudWatch.close();
    acm.close();
    waf.close();
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }
}
