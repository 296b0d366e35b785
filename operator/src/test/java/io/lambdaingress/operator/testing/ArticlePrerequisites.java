package io.lambdaingress.operator.testing;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the article's stack needs before a LambdaIngress can be applied, created fresh in moto for one
 * test: a VPC 10.20.0.0/16 with subnets a..e, the ALB's and the function's security groups, the
 * function's role, and an ECR repository of the test's own with an image under {@code latest}.
 * (The Python twin for humans is dev/seed-article-aws.py.)
 */
public record ArticlePrerequisites(String vpcId, Map<String, String> subnets, String albSecurityGroup,
    String lambdaSecurityGroup, String roleArn, String repository) {

  /** The ids examples/article-stack.yaml uses, and which real id replaces each. */
  private static final String[][] PLACEHOLDERS = {
      {"subnet-0a1b2c3d4e5f60718", "a"}, {"subnet-0b1b2c3d4e5f60718", "b"}, {"subnet-0c1b2c3d4e5f60718", "c"},
      {"subnet-0d1b2c3d4e5f60718", "d"}, {"subnet-0e1b2c3d4e5f60718", "e"}};

  /** Created through the JVM's AWS settings (the shared world's, {@link LocalWorldExtension}). */
  public static ArticlePrerequisites create(String region) {
    try (Ec2Client ec2 = Ec2Client.create(); IamClient iam = IamClient.builder().region(software.amazon.awssdk.regions.Region.AWS_GLOBAL).build();
        EcrClient ecr = EcrClient.create()) {
      return create(region, ec2, iam, ecr);
    }
  }

  /** Created in that world, whatever the JVM's AWS settings name (see {@link LocalWorld#aws}). */
  public static ArticlePrerequisites create(LocalWorld world) {
    try (Ec2Client ec2 = world.aws(Ec2Client.builder()).build();
        IamClient iam = world.aws(IamClient.builder()).region(software.amazon.awssdk.regions.Region.AWS_GLOBAL).build();
        EcrClient ecr = world.aws(EcrClient.builder()).build()) {
      return create(world.awsRegion(), ec2, iam, ecr);
    }
  }

  private static ArticlePrerequisites create(String region, Ec2Client ec2, IamClient iam, EcrClient ecr) {
    String suffix = LocalWorld.uniqueName("t").substring(2);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
    Map<String, String> subnets = new LinkedHashMap<>();
    String[] zones = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < zones.length; i++) {
      int octet = i;
      String az = region + "abc".charAt(i % 3);
      subnets.put(zones[i], ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20." + octet + ".0/24").availabilityZone(az))
          .subnet().subnetId());
    }
    String albSg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("alb-" + suffix).description("alb")).groupId();
    String fnSg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("fn-" + suffix).description("fn")).groupId();
    // Under the IAM path the operator's default allow-list (and IAM policy) lets it pass, as users create it.
    String role = iam.createRole(r -> r.roleName("fn-" + suffix).path("/lambda-ingress/").assumeRolePolicyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}")).role().arn();
    String repository = "sample-" + suffix;
    ecr.createRepository(r -> r.repositoryName(repository));
    ArticlePrerequisites p = new ArticlePrerequisites(vpc, subnets, albSg, fnSg, role, repository);
    p.pushImage("latest", ecr);
    return p;
  }

  /** Pushes a new image under the tag and returns its digest (moto derives it from the layer digests). */
  public String pushImage(String tag) {
    try (EcrClient ecr = EcrClient.create()) {
      return pushImage(tag, ecr);
    }
  }

  /** The same, pushed with this client (EventsIT: credentials other than the operator's, as a person's push). */
  public String pushImage(String tag, EcrClient ecr) {
    String unique = String.format("%064x", System.nanoTime());
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,\"digest\":\"sha256:" + unique + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":2,\"digest\":\"sha256:" + unique + "\"}]}";
    return ecr.putImage(r -> r.repositoryName(repository).imageTag(tag).imageManifest(manifest)).image().imageId().imageDigest();
  }

  /**
   * examples/article-stack.yaml with this test's ids, namespace and name: the real example, so the
   * tests prove the file users copy.
   */
  public String articleStack(String namespace, String name) {
    try {
      String yaml = Files.readString(LocalWorld.repoRoot().resolve("examples/article-stack.yaml"));
      for (String[] p : PLACEHOLDERS) {
        yaml = yaml.replace(p[0], subnets.get(p[1]));
      }
      return yaml.replace("sg-0123456789abcdef0", albSecurityGroup)
          .replace("sg-0456789abcdef0123", lambdaSecurityGroup)
          .replace("arn:aws:iam::123456789012:role/lambda-ingress/sample-lambda", roleArn)
          .replace("repository: sample", "repository: " + repository)
          .replace("      name: sample\n", "      name: " + name + "-" + namespace + "\n")
          .replace("  name: sample\n  namespace: default\n", "  name: " + name + "\n  namespace: " + namespace + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An ACM certificate ISSUED at once: a private CA's, in the test world's ACM of {@code region}. */
  public static String issuedCertificate(String region, String domain) {
    try (AcmClient acm = AcmClient.create()) {
      return acm.requestCertificate(r -> r.domainName(domain)
          .certificateAuthorityArn("arn:aws:acm-pca:" + region + ":123456789012:certificate-authority/lambda-ingress-it")).certificateArn();
    }
  }

  /**
   * An S3 bucket of that name whose policy lets ELB deliver an ALB's access logs to it (any prefix): what
   * spec.alb.attributes.accessLogs needs, AWS checking the policy when the logs are turned on.
   */
  public static String accessLogBucket(String name) {
    // Path-style: the world's endpoint is an address, not a domain a bucket name could go in front of.
    try (S3Client s3 = S3Client.builder().forcePathStyle(true).build()) {
      s3.createBucket(r -> r.bucket(name));
      s3.putBucketPolicy(r -> r.bucket(name).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::"
          + name + "/*\"}]}"));
    }
    return name;
  }

  /** A regional web ACL in the test world's AWS WAF (no rules: none would be evaluated here). */
  public static String webAcl(software.amazon.awssdk.services.wafv2.Wafv2Client waf, String name) {
    return waf.createWebACL(r -> r.name(name).scope(software.amazon.awssdk.services.wafv2.model.Scope.REGIONAL)
        .defaultAction(a -> a.allow(x -> {}))
        .visibilityConfig(v -> v.sampledRequestsEnabled(false).cloudWatchMetricsEnabled(false).metricName(name))).summary().arn();
  }
}
