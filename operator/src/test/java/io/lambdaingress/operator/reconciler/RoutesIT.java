package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.RouteModel;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Routes against the real API server and moto behind the AWS rules layer: one object with three routes
 * (two managed functions, one existing) becomes Ready with every rule, target group, permission and
 * registration read back from AWS; a reorder and a removal are watched rule by rule while they happen
 * (every snapshot: our rules in the old or the new order, each forwarding to its own route's group, a rule
 * without our tags never moved); drift of each route piece is repaired; deleting leaves nothing. Routes
 * AWS would refuse are refused at apply.
 */
@WithLocalWorld
class RoutesIT {

  private static final Duration RESYNC = Duration.ofSeconds(3);
  private static final Duration READY = Duration.ofSeconds(60);

  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static String region;
  private static int nextIp = 120;
  // One static IP per object: a re-apply with another would replace its NLB.
  private static final Map<String, String> IPS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start(LocalWorld world) {
    operator = OperatorHarness.start(world, RESYNC, 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
    region = world.awsRegion();
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    elb.close();
    lambda.close();
  }

  private static String ns() {
    return operator.namespace(0);
  }

  /** The article stack under a fresh static IP with {@code routes} (YAML list items, 4-space indent) before its tags. */
  private static String withRoutes(String name, String routes) {
    String yaml = pre.articleStack(ns(), name).replace("10.20.0.10", IPS.computeIfAbsent(name, n -> "10.20.0." + (nextIp++)));
    return yaml.replace("  tags:\n", "  routes:\n" + routes + "  tags:\n");
  }

  private static String managed(String name, String match) {
    return "    - name: " + name + "\n      match:\n" + match + "      lambda:\n        function:\n"
        + "          image: {repository: " + pre.repository() + ", tag: latest}\n          roleArn: " + pre.roleArn() + "\n";
  }

  private static String existing(String name, String match, String arn) {
    return "    - name: " + name + "\n      match:\n" + match + "      lambda:\n        functionArn: " + arn + "\n";
  }

  private static final String ORDERS = "        pathPatterns: [\"/orders\", \"/orders/*\"]\n        methods: [GET, POST]\n";
  private static final String USERS = "        hosts: [api.example.internal]\n        pathPatterns: [\"/users*\"]\n";
  private static final String LEGACY = "        queryStrings: [{key: version, value: \"1\"}]\n        headers: {X-Tenant: [a, b]}\n";

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> routeStatus(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return (List<Map<String, Object>>) status.get("routes");
  }

  @SuppressWarnings("unchecked")
  private static String albListener(GenericKubernetesResource r) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) r.getAdditionalProperties().get("status")).get("alb")).get("listenerArn");
  }

  /** Route name -> its rule, for the rules carrying our route tag; foreign rules under "" + priority. */
  private static final Map<String, Map<String, String>> TAGS = new ConcurrentHashMap<>();

  private static List<Rule> rules(String listener) {
    return elb.describeRules(q -> q.listenerArn(listener)).rules().stream().filter(r -> !r.isDefault())
        .sorted(java.util.Comparator.comparingInt(r -> Integer.parseInt(r.priority()))).toList();
  }

  private static String routeOf(Rule r) {
    Map<String, String> tags = TAGS.computeIfAbsent(r.ruleArn(), arn -> AwsInventory.tagsOf(elb, arn));
    return tags.get(RouteModel.TAG_ROUTE);
  }

  private static List<String> order(String listener) {
    return rules(listener).stream().map(r -> routeOf(r) == null ? "foreign@" + r.priority() : routeOf(r)).toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void routesApplyToHttpsAsToHttpAndOnlyToHttpsWhileHttpRedirects() {
    String certificate;
    try (AcmClient acm = AcmClient.create()) {
      certificate = acm.requestCertificate(q -> q.domainName("routes.example.com").certificateAuthorityArn(
          "arn:aws:acm-pca:" + region + ":123456789012:certificate-authority/routes-it")).certificateArn();
    }
    String plain = withRoutes("tlsroutes", managed("orders", ORDERS));
    String https = plain.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    https:\n"
        + "      certificateArns: [" + certificate + "]\n  lambda:");
    assertThat(https).isNotEqualTo(plain);
    GenericKubernetesResource li = ready(https);
    Map<String, Object> alb = (Map<String, Object>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get("alb");
    String http = (String) alb.get("listenerArn");
    String tls = (String) alb.get("httpsListenerArn");
    String group = (String) routeStatus(li).get(0).get("targetGroupArn");
    for (String listener : List.of(http, tls)) {
      assertThat(rules(listener)).as(listener).singleElement().satisfies(r -> {
        assertThat(routeOf(r)).isEqualTo("orders");
        assertThat(ListenerStep.forwardedTo(r.actions().get(0))).containsExactly(group);
        assertThat(RouteModel.canonical(r.conditions())).isEqualTo(RouteModel.canonical(rules(http).get(0).conditions()));
      });
    }

    // The HTTP listener redirects: a rule there would answer plain HTTP, so it goes; the HTTPS listener keeps its own.
    ready(https.replace("      certificateArns: [" + certificate + "]\n", "      certificateArns: [" + certificate + "]\n      redirectHttp: true\n"));
    assertThat(rules(http)).isEmpty();
    assertThat(rules(tls)).extracting(RoutesIT::routeOf).containsExactly("orders");
  }

  @Test
  @SuppressWarnings("unchecked")
  void threeRoutesAreReadyReorderedRemovedRepairedAndDeleted() {
    String digest = pre.pushImage("routes-existing");
    String repoUri;
    try (var ecr = software.amazon.awssdk.services.ecr.EcrClient.create()) {
      repoUri = ecr.describeRepositories(q -> q.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
    }
    String existingName = LocalWorld.uniqueName("existing-rt");
    String existingArn = lambda.createFunction(q -> q.functionName(existingName).packageType("Image")
        .code(c -> c.imageUri(repoUri + "@" + digest)).role(pre.roleArn())).functionArn();

    String name = "routes";
    String orders = managed("orders", ORDERS);
    String users = managed("users", USERS);
    String legacy = existing("legacy", LEGACY, existingArn);
    GenericKubernetesResource li = ready(withRoutes(name, orders + users + legacy));

    // Every piece, read back from AWS.
    List<Map<String, Object>> routes = routeStatus(li);
    assertThat(routes).extracting(r -> r.get("name")).containsExactly("orders", "users", "legacy");
    assertThat(routes).allSatisfy(r -> assertThat(r.get("ready")).isEqualTo(true));
    assertThat(((Map<String, Object>) li.getAdditionalProperties().get("status")).get("routesReady")).isEqualTo("3/3");
    String listener = albListener(li);
    Map<String, String> tgOf = new java.util.HashMap<>();
    routes.forEach(r -> tgOf.put((String) r.get("name"), (String) r.get("targetGroupArn")));
    List<Rule> rules = rules(listener);
    assertThat(rules).extracting(RoutesIT::routeOf).containsExactly("orders", "users", "legacy");
    assertThat(rules).extracting(Rule::priority).containsExactly("1", "2", "3");
    for (Map<String, Object> r : routes) {
      String route = (String) r.get("name");
      String tg = (String) r.get("targetGroupArn");
      String fn = (String) r.get("functionArn");
      Rule rule = rules.stream().filter(x -> route.equals(routeOf(x))).findFirst().orElseThrow();
      assertThat(rule.ruleArn()).isEqualTo(r.get("ruleArn"));
      assertThat(rule.actions()).singleElement().satisfies(a -> {
        assertThat(a.type()).isEqualTo(ActionTypeEnum.FORWARD);
        assertThat(ListenerStep.forwardedTo(a)).containsExactly(tg);
      });
      assertThat(AwsInventory.tagsOf(elb, rule.ruleArn())).containsEntry(ChainModel.TAG_NAME, name)
          .containsEntry(ChainModel.TAG_NAMESPACE, ns()).containsEntry(ChainModel.TAG_CLUSTER, operator.clusterName());
      assertThat(elb.describeTargetGroups(q -> q.targetGroupArns(tg)).targetGroups().get(0).targetTypeAsString()).isEqualTo("lambda");
      assertThat(elb.describeTargetHealth(q -> q.targetGroupArn(tg)).targetHealthDescriptions()).extracting(d -> d.target().id())
          .containsExactly(fn);
      String policy = lambda.getPolicy(q -> q.functionName(fn)).policy();
      assertThat(policy).contains(tg).contains("elasticloadbalancing.amazonaws.com");
    }
    assertThat(RouteModel.canonical(rules.get(0).conditions()))
        .containsExactly("http-request-method:[GET, POST]", "path-pattern:[/orders, /orders/*]");
    assertThat(RouteModel.canonical(rules.get(2).conditions()))
        .containsExactly("http-header:[x-tenant=a, x-tenant=b]", "query-string:[version=1]");
    assertThat(routes.get(2).get("functionArn")).isEqualTo(existingArn);
    assertThat(lambda.getFunction(q -> q.functionName(existingArn)).tags()).as("an existing function is never tagged")
        .doesNotContainKey(ChainModel.TAG_CLUSTER);

    // A rule someone else added on our listener: never moved, its priority avoided.
    String defaultTg = (String) ((Map<String, Object>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get("alb"))
        .get("targetGroupArn");
    String foreign = elb.createRule(q -> q.listenerArn(listener).priority(4).conditions(c -> c.field("path-pattern").values("/theirs"))
        .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(defaultTg))).rules().get(0).ruleArn();

    // Reorder: watched while it happens.
    List<String> before = List.of("orders", "users", "legacy");
    List<String> reordered = List.of("legacy", "orders", "users", "catalog");
    // catalog's group is made with multi-value headers; the others keep the default (false).
    String catalog = managed("catalog", "        pathPatterns: [\"/catalog/*\"]\n") + "      multiValueHeaders: true\n";
    watchWhile(listener, tgOf, before, reordered, () -> ready(withRoutes(name, legacy + orders + users + catalog)));
    assertThat(order(listener)).containsExactly("legacy", "orders", "users", "foreign@4", "catalog");
    GenericKubernetesResource after = operator.get(ns(), name);
    routeStatus(after).forEach(r -> tgOf.put((String) r.get("name"), (String) r.get("targetGroupArn")));
    assertThat(multiValueHeaders(tgOf.get("catalog"))).isEqualTo("true");
    assertThat(multiValueHeaders(tgOf.get("users"))).isEqualTo("false");
    assertThat(rules(listener)).filteredOn(r -> r.ruleArn().equals(foreign)).singleElement()
        .satisfies(r -> assertThat(r.priority()).isEqualTo("4"));

    // Remove one route: exactly its rule, group and function go. users asks for multi-value headers: its group changes in place.
    String ordersTg = tgOf.get("orders");
    String ordersFn = (String) routeStatus(after).get(1).get("functionArn");
    watchWhile(listener, tgOf, reordered, List.of("legacy", "users", "catalog"),
        () -> ready(withRoutes(name, legacy + users + "      multiValueHeaders: true\n" + catalog)));
    assertThat(order(listener)).containsExactly("legacy", "users", "catalog", "foreign@4");
    await().atMost(READY).untilAsserted(() -> {
      assertThat(elb.describeTargetGroupsPaginator().targetGroups().stream().toList()).extracting(t -> t.targetGroupArn()).doesNotContain(ordersTg);
      assertThat(lambda.listFunctionsPaginator().functions().stream().map(f -> f.functionArn())).doesNotContain(ordersFn);
    });
    assertThat(elb.describeTargetGroups(q -> q.targetGroupArns(tgOf.get("users"))).targetGroups()).hasSize(1);
    assertThat(multiValueHeaders(tgOf.get("users"))).isEqualTo("true");

    // Drift of each route piece: back within a resync or two.
    GenericKubernetesResource now = operator.get(ns(), name);
    Map<String, Object> usersStatus = routeStatus(now).get(1);
    String usersRule = (String) usersStatus.get("ruleArn");
    String usersTg = (String) usersStatus.get("targetGroupArn");
    String usersFn = (String) usersStatus.get("functionArn");
    elb.modifyRule(q -> q.ruleArn(usersRule).conditions(c -> c.field("path-pattern").values("/hijacked")));
    elb.deregisterTargets(q -> q.targetGroupArn(usersTg).targets(TargetDescription.builder().id(usersFn).build()));
    elb.modifyTargetGroupAttributes(q -> q.targetGroupArn(usersTg).attributes(a -> a.key(MULTI_VALUE_HEADERS).value("false")));
    lambda.removePermission(q -> q.functionName(usersFn).statementId(permissionOf(usersFn, usersTg)));
    String legacyRule = (String) routeStatus(now).get(0).get("ruleArn");
    elb.deleteRule(q -> q.ruleArn(legacyRule));
    Map<String, Object> catalogStatus = routeStatus(now).get(2);
    elb.deleteRule(q -> q.ruleArn((String) catalogStatus.get("ruleArn")));
    elb.deleteTargetGroup(q -> q.targetGroupArn((String) catalogStatus.get("targetGroupArn")));
    await().atMost(READY).untilAsserted(() -> {
      assertThat(order(listener)).containsExactly("legacy", "users", "catalog", "foreign@4");
      Rule u = rules(listener).stream().filter(r -> r.ruleArn().equals(usersRule)).findFirst().orElseThrow();
      assertThat(RouteModel.canonical(u.conditions())).containsExactly("host-header:[api.example.internal]", "path-pattern:[/users*]");
      assertThat(elb.describeTargetHealth(q -> q.targetGroupArn(usersTg)).targetHealthDescriptions()).extracting(d -> d.target().id())
          .containsExactly(usersFn);
      assertThat(lambda.getPolicy(q -> q.functionName(usersFn)).policy()).contains(usersTg);
      assertThat(multiValueHeaders(usersTg)).isEqualTo("true");
    });
    // The deleted group came back under its name, with the function registered and the rule forwarding to it.
    await().atMost(READY).untilAsserted(() -> {
      Map<String, Object> catalogAfter = routeStatus(operator.get(ns(), name)).get(2);
      String tg = (String) catalogAfter.get("targetGroupArn");
      assertThat(tg).isNotEqualTo(catalogStatus.get("targetGroupArn"));
      assertThat(elb.describeTargetHealth(q -> q.targetGroupArn(tg)).targetHealthDescriptions())
          .extracting(d -> d.target().id()).containsExactly((String) catalogAfter.get("functionArn"));
      assertThat(multiValueHeaders(tg)).isEqualTo("true");
      assertThat(rules(listener).stream().filter(r -> "catalog".equals(routeOf(r))).findFirst().orElseThrow().actions().get(0))
          .satisfies(a -> assertThat(ListenerStep.forwardedTo(a)).containsExactly(tg));
    });

    // Delete: nothing of ours is left; the existing function stays without our statement; their rule's ALB is gone with ours.
    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns()).withName(name).delete();
    await().atMost(READY).untilAsserted(() -> assertThat(operator.get(ns(), name)).isNull());
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).isEmpty();
    String policy;
    try {
      policy = lambda.getPolicy(q -> q.functionName(existingArn)).policy();
    } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
      policy = "";
    }
    assertThat(policy).doesNotContain("lambda-ingress-");
  }

  private static final String MULTI_VALUE_HEADERS = "lambda.multi_value_headers.enabled";

  /** The one attribute AWS lets a lambda target group take, as AWS reports it. */
  private static String multiValueHeaders(String tg) {
    return elb.describeTargetGroupAttributes(q -> q.targetGroupArn(tg)).attributes().stream()
        .filter(a -> a.key().equals(MULTI_VALUE_HEADERS)).findFirst().orElseThrow().value();
  }

  private static String permissionOf(String functionArn, String tg) {
    String policy = lambda.getPolicy(q -> q.functionName(functionArn)).policy();
    var m = java.util.regex.Pattern.compile("\"Sid\"\\s*:\\s*\"(lambda-ingress-[0-9a-f]+)\"").matcher(policy);
    assertThat(m.find()).as(policy).isTrue();
    return m.group(1);
  }

  private static GenericKubernetesResource ready(String yaml) {
    GenericKubernetesResource applied = operator.apply(yaml);
    return operator.awaitReady(applied.getMetadata().getNamespace(), applied.getMetadata().getName(), READY);
  }

  /**
   * Runs {@code change} while a watcher reads the listener's rules as fast as it can; every snapshot must
   * show our rules in the old or the new order (restricted to the rules present), each forwarding to its
   * own route's target group (a route new in {@code to} to a group not yet known).
   */
  private static void watchWhile(String listener, Map<String, String> tgOf, List<String> from, List<String> to, Runnable change) {
    List<String> violations = new CopyOnWriteArrayList<>();
    List<List<String>> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread watcher = new Thread(() -> {
      while (!done.get()) {
        List<Rule> snapshot = rules(listener);
        List<String> ours = new ArrayList<>();
        for (Rule r : snapshot) {
          String route = routeOf(r);
          if (route == null) {
            if (!"4".equals(r.priority())) {
              violations.add("a foreign rule moved: " + r.priority());
            }
            continue;
          }
          ours.add(route);
          String tg = tgOf.get(route);
          if (tg != null && !ListenerStep.forwardedTo(r.actions().get(0)).equals(java.util.Set.of(tg))) {
            violations.add("route " + route + " forwards elsewhere: " + r.actions());
          }
        }
        if (!ours.equals(from.stream().filter(ours::contains).toList()) && !ours.equals(to.stream().filter(ours::contains).toList())) {
          violations.add("rules out of both orders: " + ours);
        }
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(ours)) {
          seen.add(ours);
        }
      }
    });
    watcher.start();
    try {
      change.run();
    } finally {
      done.set(true);
      try {
        watcher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(violations).as("states seen: " + seen).isEmpty();
    assertThat(seen).as("the watcher saw the change").hasSizeGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest(name = "{0} is refused at apply")
  @CsvSource(delimiter = '|', textBlock = """
      a route without a condition           | '        {}\\n'                                                                  | at least one of pathPatterns
      six condition values                  | '        pathPatterns: [/a, /b, /c]\\n        methods: [GET, PUT, POST]\\n'         | at most 5 condition values
      six wildcards                         | '        pathPatterns: [\"/a*?*\", \"/b*?*\"]\\n'                                  | at most 5 wildcards
      a host without a dot                  | '        hosts: [localhost]\\n'                                                    | hosts
      a host ending in digits               | '        hosts: [\"api.example.123\"]\\n'                                           | hosts
      a path pattern of 129 characters      | '        pathPatterns: [\"/LONG\"]\\n'                                             | pathPatterns
      a path with a space                   | '        pathPatterns: [\"/a b\"]\\n'                                              | pathPatterns
      a lower-case method                   | '        methods: [get]\\n'                                                        | methods
      a Host header condition               | '        headers: {Host: [a.example.com]}\\n'                                      | not headers
      a header name of 41 characters        | '        headers: {HEADER41: [a]}\\n'              | header names
      a header name with a space            | '        headers: {\"X Tenant\": [a]}\\n'                                           | header names
      six query strings                     | '        queryStrings: [{value: a}, {value: b}, {value: c}, {value: d}, {value: e}, {value: f}]\\n' | queryStrings
      """)
  void badRoutesAreRefusedAtApply(String what, String match, String field) {
    String m = match.replace("\\n", "\n").replace("LONG", "a".repeat(128)).replace("HEADER41", "X".repeat(41));
    String name = LocalWorld.uniqueName("bad");
    String yaml = withRoutes(name, managed("r", m));
    assertThatThrownBy(() -> operator.apply(yaml)).as(what).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getMessage()).contains(field);
    });
    assertThat(operator.get(ns(), name)).as("nothing was stored").isNull();
  }

  @Test
  void moreRouteRulesAreRefusedAtApply() {
    String twice = withRoutes(LocalWorld.uniqueName("bad"), managed("same", ORDERS) + managed("same", USERS));
    assertThatThrownBy(() -> operator.apply(twice)).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getMessage()).contains("route names must be unique"));
    String badName = withRoutes(LocalWorld.uniqueName("bad"), managed("Not_A_Label", ORDERS));
    assertThatThrownBy(() -> operator.apply(badName)).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getMessage()).contains("spec.routes[0].name"));
    String mvh = withRoutes(LocalWorld.uniqueName("bad"), managed("r", ORDERS) + "        multiValueHeaders: true\n");
    assertThatThrownBy(() -> operator.apply(mvh)).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getMessage()).contains("set multiValueHeaders on the route"));
  }

  @Test
  void aRouteThatWouldTakeTheHealthCheckIsRefusedWithoutTouchingAws() {
    String name = LocalWorld.uniqueName("health");
    String message = operator.applyAndAwaitNotReady(withRoutes(name, managed("all", "        pathPatterns: [\"/*\"]\n")),
        "InvalidSpec", READY, "spec.routes[0].match", "health check (GET /healthz)");
    assertThat(message).contains("route all");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).isEmpty();
  }
}
