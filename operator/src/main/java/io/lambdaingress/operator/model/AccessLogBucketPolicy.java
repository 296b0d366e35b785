package io.lambdaingress.operator.model;

import java.util.Map;
import java.util.Optional;

/**
 * Where an ALB's access logs go, and the bucket policy statement that lets Elastic Load Balancing deliver them there
 * (ALB user guide, "Enable access logs for your Application Load Balancer", step 2): s3:PutObject on
 * {@code <bucket>/[<prefix>/]AWSLogs/<account>/*}, granted to the Region's Elastic Load Balancing account in a Region
 * available before August 2022, to the log delivery service principal in the others. AWS checks it when access logs are
 * turned on (it writes a test file there) and refuses otherwise; the refusal names only the bucket, so the operator's
 * message adds the statement to put in its policy.
 */
public record AccessLogBucketPolicy(String bucket, String prefix, String region, String account) {

  public static final String ENABLED = "access_logs.s3.enabled";
  public static final String BUCKET = "access_logs.s3.bucket";
  public static final String PREFIX = "access_logs.s3.prefix";
  public static final String SERVICE_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

  /** The Regions available before August 2022 and their Elastic Load Balancing accounts (the same page, step 2). */
  static final Map<String, String> ELB_ACCOUNTS = Map.ofEntries(
      Map.entry("us-east-1", "127311923021"), Map.entry("us-east-2", "033677994240"), Map.entry("us-west-1", "027434742980"),
      Map.entry("us-west-2", "797873946194"), Map.entry("af-south-1", "098369216593"), Map.entry("ap-east-1", "754344448648"),
      Map.entry("ap-southeast-3", "589379963580"), Map.entry("ap-south-1", "718504428378"),
      Map.entry("ap-northeast-3", "383597477331"), Map.entry("ap-northeast-2", "600734575887"),
      Map.entry("ap-southeast-1", "114774131450"), Map.entry("ap-southeast-2", "783225319266"),
      Map.entry("ap-northeast-1", "582318560864"), Map.entry("ca-central-1", "985666609251"),
      Map.entry("eu-central-1", "054676820928"), Map.entry("eu-west-1", "156460612806"), Map.entry("eu-west-2", "652711504416"),
      Map.entry("eu-south-1", "635631232127"), Map.entry("eu-west-3", "009996457667"), Map.entry("eu-north-1", "897822967062"),
      Map.entry("me-south-1", "076674570225"), Map.entry("sa-east-1", "507241528517"),
      Map.entry("us-gov-west-1", "048591011584"), Map.entry("us-gov-east-1", "190560391635"));

  /** An attribute of the access logs: written on its own, so that a refusal of the bucket holds back no other attribute. */
  public static boolean isAccessLogKey(String key) {
    return key.startsWith("access_logs.s3.");
  }

  /** The access logs the wanted attributes turn on for the load balancer {@code arn}; empty when they turn them off or leave them. */
  public static Optional<AccessLogBucketPolicy> of(Map<String, String> wanted, String arn) {
    if (!"true".equals(wanted.get(ENABLED))) {
      return Optional.empty();
    }
    String[] parts = arn.split(":");
    return Optional.of(new AccessLogBucketPolicy(wanted.get(BUCKET), wanted.getOrDefault(PREFIX, ""), parts[3], parts[4]));
  }

  /** The objects ELB writes: {@code arn:aws:s3:::<bucket>/[<prefix>/]AWSLogs/<account>/*}. */
  public String resource() {
    return "arn:aws:s3:::" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/") + "AWSLogs/" + account + "/*";
  }

  /** The statement to add to the bucket policy, as one line of JSON. */
  public String statement() {
    String elbAccount = ELB_ACCOUNTS.get(region);
    String principal = elbAccount != null ? "{\"AWS\":\"arn:aws:iam::" + elbAccount + ":root\"}"
        : "{\"Service\":\"" + SERVICE_PRINCIPAL + "\"}";
    return "{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"s3:PutObject\",\"Resource\":\"" + resource() + "\"}";
  }

  /** The Ready condition's message when AWS refuses to deliver to the bucket ({@code aws}: AWS's code and words). */
  public String refusal(String aws) {
    return "spec.alb.attributes.accessLogs: AWS refuses access logs to bucket " + bucket + " (" + aws + "): the bucket must "
        + "exist in " + region + " and its bucket policy let Elastic Load Balancing write under " + resource()
        + "; add this statement to the policy of bucket " + bucket + ": " + statement();
  }
}
