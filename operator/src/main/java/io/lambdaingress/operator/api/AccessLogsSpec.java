package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the ALB delivers its access logs (ALB user guide, "Enable access logs for your Application Load Balancer"). */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessLogsSpec {

  // S3 general purpose bucket naming rules (S3 user guide, "Bucket naming rules"): 3-63 lowercase letters, digits, dots and
  // hyphens, a letter or digit at both ends; not two dots in a row, not an IPv4 address, none of the reserved prefixes and
  // suffixes.
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @Size(max = 63)
  @ValidationRule(value = "!self.contains('..') && !self.matches('^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$') "
      + "&& !self.startsWith('xn--') && !self.startsWith('sthree-') && !self.startsWith('amzn-s3-demo-') "
      + "&& !self.endsWith('-s3alias') && !self.endsWith('--ol-s3') && !self.endsWith('.mrap') && !self.endsWith('--x-s3')",
      message = "spec.alb.attributes.accessLogs.bucket is not a valid S3 bucket name (S3 user guide, bucket naming rules: no "
          + "'..', not an IP address, no xn--, sthree- or amzn-s3-demo- prefix, no -s3alias, --ol-s3, .mrap or --x-s3 suffix)")
  @JsonPropertyDescription("access_logs.s3.bucket: the S3 bucket, in the ALB's region, the logs go to. Its bucket policy must "
      + "let Elastic Load Balancing put objects under [prefix/]AWSLogs/<account>/ (docs/attributes.md has the statement); "
      + "until it does, AWS refuses to turn access logs on and the object is Ready=False reason InvalidSpec, naming the "
      + "bucket and the statement to add. Changed in place.")
  private String bucket;

  // AWS: "The prefix that you specify must not include AWSLogs"; a leading or trailing slash is refused too (ansible/ansible#55148).
  @Size(max = 200)
  @ValidationRule(value = "!self.contains('AWSLogs') && !self.startsWith('/') && !self.endsWith('/')",
      message = "spec.alb.attributes.accessLogs.prefix must not contain AWSLogs (AWS adds AWSLogs/<account>/ after it) nor "
          + "start or end with /")
  @JsonPropertyDescription("access_logs.s3.prefix: the key prefix in the bucket (the logs go to <bucket>/<prefix>/AWSLogs/"
      + "<account>/...). Must not contain AWSLogs, nor start or end with /. Omitted: the bucket's root. Changed in place.")
  private String prefix;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }
}
