package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.AlbAttributesSpec;
import io.lambdaingress.operator.api.AlbSpec;
import io.lambdaingress.operator.api.NlbAttributesSpec;
import io.lambdaingress.operator.api.DeletionPolicy;
import io.lambdaingress.operator.api.FunctionSpec;
import io.lambdaingress.operator.api.HttpsSpec;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.api.NlbSpec;
import io.lambdaingress.operator.api.Scheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.PackageType;

/**
 * The desired AWS state of one LambdaIngress, with no I/O: names, tags, and each resource as the immutable
 * SDK request that would create it (the reconciler diffs observed resources against these). The VPC id is
 * an input because it is read from AWS (the subnets' VPC).
 */
public record ChainModel(LoadBalancerNames names, Map<String, String> ownerTags, NlbSide nlb, AlbSide alb,
    Optional<ManagedFunction> function, String existingFunctionArn, String permissionStatementId,
    DeletionPolicy deletionPolicy, AdoptedNames adopted) {

  public static final String TAG_CLUSTER = "lambdaingress.io/cluster";
  public static final String TAG_NAMESPACE = "lambdaingress.io/namespace";
  public static final String TAG_NAME = "lambdaingress.io/name";
  public static final String HEALTH_PATH_ENV = "LAMBDA_INGRESS_HEALTH_PATH";
  public static final String DEFAULT_HEALTH_PATH = "/healthz";

  /**
   * The NLB, its TCP listener's port and its target group of type alb; with spec.alb.https, a second TCP listener on
   * the HTTPS port and its own alb target group of that port (an alb target group has one port).
   */
  public record NlbSide(String name, CreateLoadBalancerRequest loadBalancer, Map<String, String> attributes,
      int listenerPort, CreateTargetGroupRequest albTargetGroup, Optional<CreateTargetGroupRequest> httpsAlbTargetGroup,
      Optional<String> privateLinkInboundRules) {

    /** Every alb target group name of this side, the HTTPS one whether wanted or not (a removed https leaves one to delete). */
    public List<String> albTargetGroupNames(LoadBalancerNames names) {
      return List.of(albTargetGroup.name(), names.albHttpsTargetGroup());
    }
  }

  /** The ALB, its HTTP listener's port and its target group of type lambda; its HTTPS listener when asked. */
  public record AlbSide(String name, CreateLoadBalancerRequest loadBalancer, Map<String, String> attributes,
      int listenerPort, CreateTargetGroupRequest lambdaTargetGroup, Map<String, String> lambdaTargetGroupAttributes,
      Optional<Https> https, Optional<String> webAclArn) {

    /** The web ACL's region, when it is not {@code region}: a load balancer takes a web ACL of its own region only. */
    public Optional<String> webAclOutside(String region) {
      return webAclArn.map(arn -> arn.split(":")[3]).filter(r -> !r.equals(region));
    }

    /** Whether the HTTP listener forwards (to the function, with the routes' rules) rather than redirect to HTTPS. */
    public boolean httpServes() {
      return https.isEmpty() || !https.get().redirectHttp();
    }
  }

  /**
   * The ALB's HTTPS listener: its port, its default certificate and the others (SNI, its certificate list), its
   * security policy, and whether the HTTP listener redirects to it.
   */
  public record Https(int port, String defaultCertificate, List<String> sniCertificates, String sslPolicy, boolean redirectHttp) {

    /** Every certificate the listener uses, the default first. */
    public List<String> certificates() {
      return java.util.stream.Stream.concat(java.util.stream.Stream.of(defaultCertificate), sniCertificates.stream()).toList();
    }

    /** The certificates that are not in {@code region}: ACM certificates serve load balancers of their own region only. */
    public List<String> outside(String region) {
      return certificates().stream().filter(arn -> !region.equals(arn.split(":")[3])).toList();
    }
  }

  /** A function the operator manages; its create request needs the image pinned at reconcile time. */
  /** @param reservedConcurrency null: none */
  public record ManagedFunction(String name, ImageRef image, CreateFunctionRequest template, Integer reservedConcurrency) {
    public CreateFunctionRequest request(String pinnedImageUri) {
      return template.toBuilder().code(c -> c.imageUri(pinnedImageUri)).build();
    }
  }

  public static ChainModel of(LambdaIngress li, String cluster, String vpcId) {
    LambdaIngressSpec spec = li.getSpec();
    String namespace = li.getMetadata().getNamespace();
    String name = li.getMetadata().getName();
    LoadBalancerNames names = LoadBalancerNames.of(cluster, namespace, name);
    // Adopted resources keep their names (the steps find them by these); the rest, and the ALB side's second slot, are derived.
    AdoptedNames adopted = AdoptedNames.of(spec.getAdopt());
    String nlbName = AdoptedNames.or(adopted.nlb(), names.nlb());
    String albName = AdoptedNames.or(adopted.alb(), names.alb());

    Map<String, String> ownerTags = Map.of(TAG_CLUSTER, cluster, TAG_NAMESPACE, namespace, TAG_NAME, name);
    Map<String, String> allTags = allTags(spec, ownerTags);
    List<Tag> elbTags = allTags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();

    AlbSpec albSpec = spec.getAlb();
    int albPort = albSpec.getListener().getPort();
    Optional<Https> https = Optional.ofNullable(albSpec.getHttps()).map(h -> new Https(h.getPort() == null ? 443 : h.getPort(),
        h.getCertificateArns().get(0), List.copyOf(h.getCertificateArns().subList(1, h.getCertificateArns().size())),
        h.getSslPolicy() == null ? HttpsSpec.DEFAULT_SSL_POLICY : h.getSslPolicy(), Boolean.TRUE.equals(h.getRedirectHttp())));
    boolean multiValue = Boolean.TRUE.equals(spec.getLambda().getMultiValueHeaders());
    AlbSide alb = new AlbSide(albName,
        CreateLoadBalancerRequest.builder().name(albName).type(LoadBalancerTypeEnum.APPLICATION)
            .scheme(scheme(albSpec.getScheme())).subnets(albSpec.getSubnets())
            .securityGroups(albSpec.getSecurityGroups() == null ? List.of() : albSpec.getSecurityGroups()).tags(elbTags).build(),
        albAttributes(albSpec.getAttributes()), albPort,
        CreateTargetGroupRequest.builder().name(AdoptedNames.or(adopted.lambdaTargetGroup(), names.lambdaTargetGroup())).targetType(TargetTypeEnum.LAMBDA).tags(elbTags).build(),
        Map.of("lambda.multi_value_headers.enabled", Boolean.toString(multiValue)), https, Optional.ofNullable(albSpec.getWebAclArn()));

    NlbSpec nlbSpec = spec.getNlb();
    String healthPath = healthPath(spec);
    // The NLB health-checks the ALB through the ALB's listener, so its checks reach the function; through HTTPS when
    // the HTTP listener only redirects (its 301 would pass the check without reaching the function).
    boolean checkHttps = https.isPresent() && https.get().redirectHttp();
    CreateTargetGroupRequest albTargets = CreateTargetGroupRequest.builder().name(AdoptedNames.or(adopted.albTargetGroup(), names.albTargetGroup()))
        .targetType(TargetTypeEnum.ALB).protocol(ProtocolEnum.TCP).port(albPort).vpcId(vpcId)
        .healthCheckProtocol(checkHttps ? ProtocolEnum.HTTPS : ProtocolEnum.HTTP).healthCheckPath(healthPath)
        .healthCheckPort(Integer.toString(checkHttps ? https.get().port() : albPort))
        .tags(elbTags).build();
    Optional<CreateTargetGroupRequest> httpsAlbTargets = https.map(h -> albTargets.toBuilder().name(names.albHttpsTargetGroup())
        .port(h.port()).healthCheckProtocol(ProtocolEnum.HTTPS).healthCheckPort(Integer.toString(h.port())).build());
    NlbSide nlb = new NlbSide(nlbName,
        CreateLoadBalancerRequest.builder().name(nlbName).type(LoadBalancerTypeEnum.NETWORK)
            .scheme(scheme(nlbSpec.getScheme()))
            .subnetMappings(nlbSpec.getSubnetMappings().stream().map(m -> SubnetMapping.builder()
                .subnetId(m.getSubnetId()).privateIPv4Address(m.getPrivateIPv4Address()).build()).toList())
            .securityGroups(nlbSpec.getSecurityGroups() == null ? List.of() : nlbSpec.getSecurityGroups())
            .tags(elbTags).build(),
        nlbAttributes(nlbSpec),
        nlbSpec.getListener().getPort(), albTargets, httpsAlbTargets,
        // SetSecurityGroups' EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic takes on/off; omitted, AWS's is kept.
        Optional.ofNullable(nlbSpec.getEnforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).map(on -> on ? "on" : "off"));

    Optional<ManagedFunction> function = Optional.ofNullable(spec.getLambda().getFunction())
        .map(f -> managedFunction(f, AdoptedNames.or(adopted.function(), names.function()), healthPath, allTags));
    return new ChainModel(names, ownerTags, nlb, alb, function, spec.getLambda().getFunctionArn(),
        names.permissionStatementId(), spec.getDeletionPolicy() == null ? DeletionPolicy.Delete : spec.getDeletionPolicy(), adopted);
  }

  /**
   * The lambda target group ELB invokes through: with a rollout, the one of the function's alias
   * ({@link LoadBalancerNames#lambdaAliasTargetGroup}), else the function's own; the same settings and tags.
   */
  public CreateTargetGroupRequest lambdaTargetGroup(boolean rollout) {
    return rollout ? alb.lambdaTargetGroup().toBuilder().name(names.lambdaAliasTargetGroup()).build() : alb.lambdaTargetGroup();
  }

  /**
   * The same chain with its ALB side in this slot ({@link AlbSlot}): the ALB, the alb target group, the
   * lambda target groups and the permission statement under that slot's names; the NLB and the function
   * are the same. The second slot's names are always derived ({@link LoadBalancerNames#second}), adopted ones or not.
   */
  public ChainModel inSlot(AlbSlot slot) {
    if (slot == AlbSlot.FIRST) {
      return this;
    }
    LoadBalancerNames n = names.second();
    AlbSide a = new AlbSide(n.alb(), alb.loadBalancer().toBuilder().name(n.alb()).build(), alb.attributes(), alb.listenerPort(),
        alb.lambdaTargetGroup().toBuilder().name(n.lambdaTargetGroup()).build(), alb.lambdaTargetGroupAttributes(), alb.https(),
        alb.webAclArn());
    NlbSide b = new NlbSide(nlb.name(), nlb.loadBalancer(), nlb.attributes(), nlb.listenerPort(),
        nlb.albTargetGroup().toBuilder().name(n.albTargetGroup()).build(),
        nlb.httpsAlbTargetGroup().map(g -> g.toBuilder().name(n.albHttpsTargetGroup()).build()), nlb.privateLinkInboundRules());
    return new ChainModel(n, ownerTags, b, a, function, existingFunctionArn, n.permissionStatementId(), deletionPolicy, adopted);
  }

  public static final String DELETION_PROTECTION = "deletion_protection.enabled";

  /**
   * The ALB attributes the spec manages, with spec.alb.attributes: deletion protection and access logs (off unless
   * asked), the other typed fields and the extra keys when set (omitted, AWS's value stays). Without it none: the ALB's attributes are not
   * read (one call less per resync), and a deletion turns protection off unless the spec asks for it (ChainDeletion).
   */
  static Map<String, String> albAttributes(AlbAttributesSpec a) {
    if (a == null) {
      return Map.of();
    }
    Map<String, String> attrs = new TreeMap<>();
    if (a.getExtra() != null) {
      attrs.putAll(a.getExtra());
    }
    attrs.put(DELETION_PROTECTION, Boolean.toString(Boolean.TRUE.equals(a.getDeletionProtection())));
    if (a.getIdleTimeoutSeconds() != null) {
      attrs.put("idle_timeout.timeout_seconds", a.getIdleTimeoutSeconds().toString());
    }
    if (a.getDropInvalidHeaderFields() != null) {
      attrs.put("routing.http.drop_invalid_header_fields.enabled", a.getDropInvalidHeaderFields().toString());
    }
    // Off when omitted (like deletion protection); the bucket and prefix AWS had then stay as they are, as AWS keeps them.
    attrs.put(AccessLogBucketPolicy.ENABLED, Boolean.toString(a.getAccessLogs() != null));
    if (a.getAccessLogs() != null) {
      attrs.put(AccessLogBucketPolicy.BUCKET, a.getAccessLogs().getBucket());
      attrs.put(AccessLogBucketPolicy.PREFIX, a.getAccessLogs().getPrefix() == null ? "" : a.getAccessLogs().getPrefix());
    }
    return Map.copyOf(attrs);
  }

  /** The NLB's: cross-zone and deletion protection always, the extra keys when set. */
  static Map<String, String> nlbAttributes(NlbSpec nlb) {
    NlbAttributesSpec a = nlb.getAttributes();
    Map<String, String> attrs = new TreeMap<>();
    if (a != null && a.getExtra() != null) {
      attrs.putAll(a.getExtra());
    }
    attrs.put("load_balancing.cross_zone.enabled", Boolean.toString(!Boolean.FALSE.equals(nlb.getCrossZoneLoadBalancing())));
    attrs.put(DELETION_PROTECTION, Boolean.toString(a != null && Boolean.TRUE.equals(a.getDeletionProtection())));
    return Map.copyOf(attrs);
  }

  public static String healthPath(LambdaIngressSpec spec) {
    var hc = spec.getNlb().getHealthCheck();
    return hc == null || hc.getPath() == null ? DEFAULT_HEALTH_PATH : hc.getPath();
  }

  /** What every resource of the object carries: spec.tags and the owner tags, which win (the CRD refuses their prefix anyway). */
  static Map<String, String> allTags(LambdaIngressSpec spec, Map<String, String> ownerTags) {
    Map<String, String> allTags = new TreeMap<>(spec.getTags() == null ? Map.of() : spec.getTags());
    allTags.putAll(ownerTags);
    return allTags;
  }

  static ManagedFunction managedFunction(FunctionSpec f, String defaultName, String healthPath, Map<String, String> tags) {
    String name = f.getName() != null ? f.getName() : defaultName;
    Map<String, String> env = new LinkedHashMap<>(f.getEnvironment() == null ? Map.of() : f.getEnvironment());
    env.put(HEALTH_PATH_ENV, healthPath);
    CreateFunctionRequest.Builder b = CreateFunctionRequest.builder().functionName(name).packageType(PackageType.IMAGE)
        .role(f.getRoleArn())
        .timeout(f.getTimeoutSeconds() == null ? 30 : f.getTimeoutSeconds())
        .memorySize(f.getMemoryMiB() == null ? 512 : f.getMemoryMiB())
        .environment(e -> e.variables(Map.copyOf(env)))
        .tags(Map.copyOf(tags));
    if (f.getVpc() != null) {
      b.vpcConfig(v -> v.subnetIds(f.getVpc().getSubnetIds()).securityGroupIds(f.getVpc().getSecurityGroupIds()));
    }
    var image = f.getImage();
    ImageRef ref = image.getUri() != null ? ImageRef.fromUri(image.getUri()) : ImageRef.tagged(image.getRepository(), image.getTag());
    return new ManagedFunction(name, ref, b.build(), f.getReservedConcurrency());
  }

  private static String scheme(Scheme s) {
    return (s == null ? Scheme.INTERNAL : s).value();
  }
}
