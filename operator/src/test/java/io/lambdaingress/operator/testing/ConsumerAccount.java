package io.lambdaingress.operator.testing;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Another AWS account, the consumer side of PrivateLink: moto keeps one state per account, and a role
 * assumed in an account (STS AssumeRole) acts in it, as on AWS. Its EC2 client makes a VPC of its own and
 * creates interface endpoints to a provider's endpoint service.
 */
public final class ConsumerAccount implements AutoCloseable {

  private final String account;
  private final Ec2Client ec2;
  private String vpcId;

  private ConsumerAccount(String account, Ec2Client ec2) {
    this.account = account;
    this.ec2 = ec2;
  }

  /** Acts as {@code arn:aws:iam::<account>:role/consumer}, through the given endpoint (the layer or moto alone). */
  public static ConsumerAccount of(String account, java.net.URI endpoint) {
    Credentials c;
    try (StsClient sts = StsClient.builder().endpointOverride(endpoint).build()) {
      c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/consumer").roleSessionName("consumer")).credentials();
    }
    Ec2Client ec2 = Ec2Client.builder().endpointOverride(endpoint).credentialsProvider(StaticCredentialsProvider.create(
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))).build();
    return new ConsumerAccount(account, ec2);
  }

  public String account() {
    return account;
  }

  public Ec2Client ec2() {
    return ec2;
  }

  /** An interface endpoint to the service in this account's own VPC: what makes a connection request. */
  public VpcEndpoint connect(String serviceName) {
    if (vpcId == null) {
      vpcId = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
    }
    return ec2.createVpcEndpoint(r -> r.vpcId(vpcId).serviceName(serviceName).vpcEndpointType(VpcEndpointType.INTERFACE)).vpcEndpoint();
  }

  /** The endpoint's state as the consumer sees it (pendingAcceptance, available, rejected). */
  public String state(String endpointId) {
    return ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints().get(0).stateAsString();
  }

  @Override
  public void close() {
    ec2.close();
  }
}
