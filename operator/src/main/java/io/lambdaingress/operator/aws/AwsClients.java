package io.lambdaingress.operator.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The SDK clients, built the way the SDK means them to be: region, credentials and endpoint from its
 * default chains (IRSA / Pod Identity / env / profile; AWS_REGION; AWS_ENDPOINT_URL), the standard retry
 * mode, and our call counter. No project-specific switches for what the SDK already reads.
 */
public final class AwsClients implements AutoCloseable {

  private final AwsCallCounter counter;
  private final ElasticLoadBalancingV2Client elbv2;
  private final LambdaClient lambda;
  private final EcrClient ecr;
  private final Ec2Client ec2;
  private final ElbV2Client elbV2Adapter;
  private final LambdaFunctionClient lambdaAdapter;
  private final EcrImageClient ecrAdapter;
  private final Ec2NetworkClient ec2Adapter;

  public AwsClients(AwsCallCounter counter) {
    this.counter = counter;
    ClientOverrideConfiguration config = ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .addExecutionInterceptor(counter)
        .build();
    this.elbv2 = ElasticLoadBalancingV2Client.builder().overrideConfiguration(config).build();
    this.lambda = LambdaClient.builder().overrideConfiguration(config).build();
    this.ecr = EcrClient.builder().overrideConfiguration(config).build();
    this.ec2 = Ec2Client.builder().overrideConfiguration(config).build();
    this.elbV2Adapter = new ElbV2Client(elbv2);
    this.lambdaAdapter = new LambdaFunctionClient(lambda);
    this.ecrAdapter = new EcrImageClient(ecr);
    this.ec2Adapter = new Ec2NetworkClient(ec2);
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

  @Override
  public void close() {
    elbv2.close();
    lambda.close();
    ecr.close();
    ec2.close();
  }
}
