package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.api.HttpsSpec;
import io.lambdaingress.operator.kinds.AliasStep;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsFaultProxy;
import io.lambdaingress.operator.testing.AwsFaultProxy.Crash;
import io.lambdaingress.operator.testing.AwsRequest;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.OwnedChain;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * The crash table: the operator process is killed (SIGKILL) exactly at its k-th AWS write, once right
 * before the write is sent and once right after AWS answered it (the answer never reaches the operator),
 * for every k of four scenarios of the article's stack with the production entry point's fields (HTTPS, web ACL, NLB
 * security group, attributes, reserved concurrency: {@link Spec}) — creation, an update of every mutable field (and
 * the removal of the web ACL and the reservation, put back by the next update), a replacement (NLB subnet mapping),
 * deletion, and on a stack with a rollout provisioned concurrency removed and put back — then started again. Each row asserts the object converged
 * (Ready at its generation, matching the spec; or gone), with exactly one of everything, nothing without
 * the owner tags, after deletion nothing left at all, and that the restarted operator wrote exactly the
 * rest of the sequence: the killed write again only if it never reached AWS, nothing else twice.
 *
 * <p>The k's are measured, not guessed: each scenario first runs once without a crash through the same
 * {@link AwsFaultProxy}, which names every write ({@code service:Action}); that dry run is a row of its own,
 * and each crash row checks that it killed on the very write the dry run had at k.
 *
 * <p>A kill before write k and a kill after write k - 1 leave the same AWS (writes 1 to k - 1 applied, k not);
 * they differ only if the operator wrote to the object in between, which it does when a reconcile ends (its
 * status). The dry run reads the object's resourceVersion at both moments: where it did not change (k - 1 and
 * k in one reconcile), the restarted operator would find exactly what the after-(k - 1) row's finds, and the
 * before-k row is reported skipped, saying so, instead of run again.
 *
 * <p>Cost: one operator start per row. Lanes run at once, each with its own namespace, operator process
 * and proxy, and each takes its share of the k's of its scenarios (split by the rows they run, see myKs): "chain" lanes create, replace and delete one
 * object in turn (each row leaves what the next one needs), "edits" lanes keep one object and flip it
 * between two specs; much of a row is waiting on the operator's progress polls (the function update),
 * which the other lanes use. A row's line with its real duration goes to stdout and
 * target/crash-table.txt as it finishes.
 */
// First among the concurrent classes: the suite's longest, so the others fill the time around it.
@Order(1)
@WithLocalWorld
class CrashTableIT {

  // The production default. No row waits on a resync: a started operator reconciles its object at once, and progress
  // polls and retries are rescheduled on their own; a resync would only list the shared world's account again.
  private static final int RESYNC_SECONDS = 60;
  private static final int RESERVED = 5;
  // The provisioned lane's spec A (B: none).
  private static final int PROVISIONED = 2;
  private static final int HTTPS_PORT = 443;
  // Spec B's HTTPS policy (A has the default, HttpsSpec.DEFAULT_SSL_POLICY).
  private static final String B_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final long KILL_WAIT_SECONDS = 90;
  // A lane whose rows keep failing is broken (stuck object, dead world): its other rows fail fast.
  private static final int CONSECUTIVE_FAILURES_TO_GIVE_UP = 3;
  // Lanes per kind of scenario; each lane runs every CHAIN_LANES-th (EDIT_LANES-th) k of its scenarios, so
  // together they run every row. Alone, an update row is two to three times a chain row (the operator waits for
  // two function updates); inside the suite, which keeps both cores busy, 1.3 times (27 s against 21 s at bb4ef53),
  // and the chain lanes, with create, replace and delete, had the most rows: 25 run against 18 (their longer lane
  // 247 s of rows, the update lanes' 214, 141 and 138 s). The production entry point's fields (#22) added 13 chain
  // rows and 4 update rows to run (60 in all, from 43), hence a third chain lane; its removals and the HTTPS
  // listener's ModifyListener 3 update rows more (63; the table alone 352 and 356 s, two runs of 2026-12-07). Alone, rows mostly
  // wait (on the operator's polls and AWS's in-between states); inside the suite more lanes let the table end with the
  // other classes instead of long after them (two lanes: the last 2-3 minutes of the run alone).
  // Three of each (suite of ea20a1d, 2026-12-07 17:52: the table 505 s, suite 12:26, its lanes' rows 289, 350, 376 s
  // (chain) and 340, 178, 196 s (update), each lane then taking every n-th k). Four of each was tried (7e4acef: the
  // table 572 s, suite 13:46): the machine's two cores are the limit, and every n-th k split the rows run unevenly
  // (5 to 13 a lane), the rows not run clustering on some k's; the k's are now split by rows run (myKs).
  private static final int CHAIN_LANES = 3;
  private static final int EDIT_LANES = 3;

  private static KubernetesClient client;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static Wafv2Client waf;
  // spec.alb.https's certificates (A: the first the default, the second SNI; B: the fourth the default, the third SNI) and
  // the web ACL:
  // the lanes share them (AWS lets any number of listeners use a certificate, and a web ACL protect any number of ALBs).
  private static List<String> certificates;
  private static String webAcl;
  // spec.alb.attributes.accessLogs's bucket, shared the same way.
  private static String logBucket;
  private static final List<Lane> lanes = new ArrayList<>();
  private static final Map<Scenario, List<String>> measuredByScenario = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<Scenario, Set<Integer>> skipPlanByScenario = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void setUp(LocalWorld world) {
    client = world.adminClient();
    OperatorHarness.installCrds(client);
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
    waf = Wafv2Client.create();
    certificates = Stream.of("crash.example.com", "crash.example.org", "crash.example.net", "crash.example.io")
        .map(domain -> ArticlePrerequisites.issuedCertificate(world.awsRegion(), domain)).toList();
    webAcl = ArticlePrerequisites.webAcl(waf, LocalWorld.uniqueName("crash-acl"));
    logBucket = ArticlePrerequisites.accessLogBucket(LocalWorld.uniqueName("crash-logs"));
  }

  @AfterAll
  static void tearDown() {
    for (Lane lane : lanes) {
      lane.close();
    }
    client.close();
    elb.close();
    lambda.close();
    waf.close();
  }

  @TestFactory
  Stream<DynamicTest> crashAtEveryAwsWrite(LocalWorld world) throws Exception {
    List<Scenario> chain = List.of(Scenario.CREATE, Scenario.REPLACE, Scenario.DELETE);
    for (int shard = 0; shard < CHAIN_LANES; shard++) {
      lanes.add(new Lane(world, "chain", 20 + shard, chain, shard, CHAIN_LANES));
    }
    for (int shard = 0; shard < EDIT_LANES; shard++) {
      lanes.add(new Lane(world, "edits", 40 + shard, List.of(Scenario.UPDATE), shard, EDIT_LANES));
    }
    lanes.add(new Lane(world, "provisioned", 60, List.of(Scenario.PROVISION_OFF, Scenario.PROVISION_ON), 0, 1));
    // The first operator started with the quick-start flags dumps the class archive the later ones share,
    // when its lane closes it after the dry runs: a chain lane's, which are the shorter.
    lanes.forEach(Lane::ensureOperator);
    lanes.forEach(Lane::start);
    return lanes.stream().flatMap(Lane::tests);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Scenarios: what a row does to the lane's object, and what converged means afterwards.

  /** One scenario: from its starting state (prepare), the change whose writes are counted (act). */
  enum Scenario {
    CREATE("create") {
      @Override
      void prepare(Lane lane) {
        lane.ensureAbsent();
      }

      @Override
      void act(Lane lane) {
        lane.apply(Spec.A, 0);
      }
    },
    UPDATE("update") {
      @Override
      void prepare(Lane lane) {
        lane.ensureReady();
      }

      @Override
      void act(Lane lane) {
        lane.apply(lane.spec.other(), lane.mapping);
      }
    },
    REPLACE("replace") {
      @Override
      void prepare(Lane lane) {
        lane.ensureReady();
      }

      @Override
      void act(Lane lane) {
        lane.apply(lane.spec, 1 - lane.mapping);
      }
    },
    /** The provisioned lane's (its stack: {@link Lane#canaryYaml}): provisioned concurrency removed, A to B, and put back. */
    PROVISION_OFF("provisioned off", Spec.A),
    PROVISION_ON("provisioned on", Spec.B),
    DELETE("delete") {
      @Override
      void prepare(Lane lane) {
        lane.ensureReady();
      }

      @Override
      void act(Lane lane) {
        lane.delete();
      }

      @Override
      void awaitConverged(Lane lane) {
        lane.awaitGone();
      }

      @Override
      List<String> problems(Lane lane) {
        return lane.read().leftovers().stream().map(l -> "leaked: " + l).toList();
      }
    };

    final String label;
    final boolean flips;
    // A scenario that goes one way only: from this spec to the other (null: it overrides prepare and act).
    private final Spec from;

    Scenario(String label) {
      this(label, null);
    }

    Scenario(String label, Spec from) {
      this.label = label;
      this.flips = label.equals("update") || label.equals("replace");
      this.from = from;
    }

    /** The starting state the rows of the scenario expect. */
    void prepare(Lane lane) {
      lane.ensureReadyAt(from);
    }

    /** The change whose writes are counted. */
    void act(Lane lane) {
      lane.apply(from.other(), lane.mapping);
    }

    /** Converged: Ready at the object's generation (deletion: gone). */
    void awaitConverged(Lane lane) {
      lane.awaitReady();
    }

    /** Duplicates, untagged pieces, fields that differ from the spec (deletion: anything left). */
    List<String> problems(Lane lane) {
      return lane.problemsAgainstSpec();
    }
  }

  /**
   * The two specs the edits lane flips between. B changes every field the operator can change in place
   * (or by replacing a target group): NLB cross-zone, listener port and health-check path; ALB subnets,
   * security groups and listener port; the function's image, role, timeout, memory, environment and VPC;
   * multi-value headers; spec tags. These are value swaps, so A to B and B to A make the same writes.
   *
   * <p>The production entry point's fields (#22: HTTPS, web ACL, NLB security group, attributes, reserved concurrency)
   * are on A, so the creation writes each of them (the HTTPS listeners and the HTTPS port's alb target group,
   * AddListenerCertificates, AssociateWebACL, the NLB's SetSecurityGroups, the ALB's ModifyLoadBalancerAttributes twice:
   * its attributes, then its access logs in a call of their own, PutFunctionConcurrency), and the update what the fields
   * above change of them (the HTTPS port's group: its tags and health-check path). B swaps the HTTPS listener's default
   * certificate, policy and SNI certificate (ModifyListener, AddListenerCertificates, RemoveListenerCertificates: the
   * rules layer keeps the SNI list through ModifyListener as AWS does) and an NLB attribute. B has no web ACL and no
   * reservation: their removal is a write of its own (DisassociateWebACL, DeleteFunctionConcurrency), and B to A puts
   * them back with the inverse writes at the same places ({@link #back}); another web ACL or reservation would only call
   * the creation's code again (WebAclStep, FunctionStep write the same way), at two update rows each. The NLB's group
   * and PrivateLink setting and the ALB's attributes and access logs stay, for that reason (LoadBalancerStep).
   *
   * <p>Provisioned concurrency has a lane of its own, on another stack ({@link Lane#canaryYaml}): the CRD allows it only
   * with a rollout (Lambda provisions an alias, never $LATEST), and on this stack every update row would then carry a
   * canary of the new image (versions, alias weights, a pause: ten-odd rows more). There A has it and B not, and nothing
   * else differs: its two scenarios, each one way, write PutProvisionedConcurrencyConfig and
   * DeleteProvisionedConcurrencyConfig, each row killing before and after.
   */
  enum Spec {
    A, B;

    Spec other() {
      return this == A ? B : A;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Rows and lanes.

  /**
   * One crash: {@code writes} is the scenario's whole sequence as the dry run measured it, from spec A (an update: to B).
   */
  private record Row(Scenario scenario, int write, Crash when, List<String> writes, boolean sameAsAfterPrevious) {
    String name() {
      String forth = writes.get(write - 1);
      String back = inverse(forth);
      return scenario.label + " · kill " + when.label() + " write " + write + "/" + writes.size() + " (" + forth
          + (scenario.flips && !back.equals(forth) ? " or back " + back.substring(back.indexOf(':') + 1) : "") + ")";
    }

    /** The sequence a row run from {@code from} meets: an update from B makes the inverse writes at the same places. */
    List<String> writesFrom(Spec from) {
      return scenario == Scenario.UPDATE && from == Spec.B ? back(writes) : writes;
    }

    /** What the restarted operator must write: the rest of the sequence, the killed write itself only if AWS never saw it. */
    List<String> undone(Spec from) {
      List<String> all = writesFrom(from);
      return all.subList(when == Crash.BEFORE ? write - 1 : write, all.size());
    }
  }

  /**
   * Writes whose inverse B to A makes where A to B makes them (a field B removes: {@link Spec}); every other write is
   * its own inverse (a value swap).
   */
  private static final Map<String, String> INVERSES = Map.of("wafv2:DisassociateWebACL", "wafv2:AssociateWebACL",
      "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "lambda:DeleteFunctionConcurrency", "lambda:PutFunctionConcurrency",
      "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency");

  private static String inverse(String write) {
    return INVERSES.getOrDefault(write, write);
  }

  /** The writes of an update B to A, from those of A to B. */
  static List<String> back(List<String> forth) {
    return forth.stream().map(CrashTableIT::inverse).toList();
  }

  /** A row's outcome, reported by the dynamic test that waits for it. */
  private record Outcome(Throwable failure) {}

  /**
   * One object, its operator process, its proxy and its own namespace, VPC, image tags and roles; runs its
   * dry runs and then its rows, in order, on a thread of its own.
   */
  static final class Lane implements AutoCloseable {
    final String label;
    final LocalWorld world;
    final List<Scenario> scenarios;
    // Which of the lanes of its kind this is: it runs the k's myKs gives it.
    final int shard;
    final int shards;
    final String ns;
    final String cluster;
    final String name = "stack";
    final AwsFaultProxy proxy;
    final ArticlePrerequisites pre;
    final String secondRole;
    final String latestDigest;
    final String nextDigest;
    final String[] staticIps;
    // The provisioned lane's stack: the article's with a rollout and (A) provisioned concurrency, none of the entry
    // point's fields (canaryYaml).
    final boolean canary;
    final Map<Scenario, CompletableFuture<List<String>>> dryRuns = new java.util.EnumMap<>(Scenario.class);
    final CompletableFuture<List<Row>> rows = new CompletableFuture<>();
    final Map<Row, CompletableFuture<Outcome>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private Thread thread;
    private volatile OperatorProcess operator;
    private volatile boolean closed;
    Spec spec = Spec.A;
    int mapping;
    boolean exists;

    Lane(LocalWorld world, String kind, int ipOctet, List<Scenario> scenarios, int shard, int shards) throws Exception {
      this.world = world;
      this.label = shards == 1 ? kind : kind + "-" + (shard + 1) + "of" + shards;
      this.canary = scenarios.contains(Scenario.PROVISION_OFF);
      this.scenarios = scenarios;
      this.shard = shard;
      this.shards = shards;
      scenarios.forEach(s -> dryRuns.put(s, new CompletableFuture<>()));
      this.ns = LocalWorld.uniqueName(kind);
      this.cluster = LocalWorld.uniqueName("crash");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      this.pre = ArticlePrerequisites.create(world.awsRegion());
      this.latestDigest = pre.pushImage("latest");
      this.nextDigest = pre.pushImage("next");
      try (IamClient iam = IamClient.builder().region(software.amazon.awssdk.regions.Region.AWS_GLOBAL).build()) {
        this.secondRole = iam.createRole(r -> r.roleName(LocalWorld.uniqueName("fn2")).path("/lambda-ingress/").assumeRolePolicyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}")).role().arn();
      }
      this.staticIps = new String[] {"10.20.0." + ipOctet, "10.20.1." + ipOctet};
      this.proxy = new AwsFaultProxy(world.awsEndpoint());
    }

    void start() {
      thread = new Thread(this::run, "crash-lane-" + label);
      thread.setDaemon(true);
      thread.start();
    }

    /** The lane's dry runs, then its rows once the dry runs have measured them. */
    Stream<DynamicTest> tests() {
      Stream<DynamicTest> dry = scenarios.stream().map(s -> DynamicTest.dynamicTest(label + " · " + s.label + " · dry run, no crash",
          () -> {
            await(dryRuns.get(s));
          }));
      // Lazy: the rows' names need the dry runs, which the tests above have waited for.
      Stream<DynamicTest> table = Stream.of(this).flatMap(l -> await(rows).stream()
          .map(row -> DynamicTest.dynamicTest(label + " · " + row.name(), () -> {
            Outcome o = await(outcomes.get(row));
            if (o.failure() != null) {
              throw o.failure();
            }
          })));
      return Stream.concat(dry, table);
    }

    private void run() {
      try {
        Map<Scenario, List<String>> measured = new java.util.EnumMap<>(Scenario.class);
        Map<Scenario, Set<Integer>> sameAsAfterPrevious = new java.util.EnumMap<>(Scenario.class);
        for (Scenario s : scenarios) {
          try {
            List<String> writes = dryRun(s, sameAsAfterPrevious);
            report(String.format("%s · %s · dry run, no crash: %d writes %s", label, s.label, writes.size(), writes));
            measured.put(s, writes);
            dryRuns.get(s).complete(writes);
          } catch (Throwable t) {
            dryRuns.get(s).completeExceptionally(t);
          }
        }
        // Gracefully: the first operator of the run writes the class archive the next starts use.
        operator.close();
        List<Row> table = interleave(measured, sameAsAfterPrevious);
        table.forEach(r -> outcomes.put(r, new CompletableFuture<>()));
        rows.complete(table);
        int failuresInARow = 0;
        String lastFailure = null;
        for (Row row : table) {
          if (closed) {
            outcomes.get(row).complete(new Outcome(new AssertionError("not run: the test class ended")));
            continue;
          }
          if (failuresInARow >= CONSECUTIVE_FAILURES_TO_GIVE_UP) {
            outcomes.get(row).complete(new Outcome(new AssertionError("not run: the lane's last "
                + CONSECUTIVE_FAILURES_TO_GIVE_UP + " rows failed, the last with: " + lastFailure)));
            continue;
          }
          if (row.sameAsAfterPrevious()) {
            String why = "not run: the same state as a kill after write " + (row.write() - 1) + " (no write to the object between that "
                + "write's answer and this write, in the dry run: one reconcile), so the restart would see the same AWS and the same object";
            report(String.format("%s · %-80s %s", label, row.name(), why));
            outcomes.get(row).complete(new Outcome(new org.opentest4j.TestAbortedException(why)));
            continue;
          }
          Throwable failure = null;
          long start = System.nanoTime();
          // An update row goes from the spec the object has now (rows alternate; a failed one may not have flipped it).
          String direction = row.scenario() == Scenario.UPDATE ? spec + " to " + spec.other() + ": " : "";
          try {
            crashRow(row);
          } catch (Throwable t) {
            failure = t;
          }
          report(String.format("%s · %-80s %s%s in %.1f s", label, row.name(), direction, failure == null ? "converged, clean"
              : "FAILED: " + failure.getMessage(), (System.nanoTime() - start) / 1e9));
          failuresInARow = failure == null ? 0 : failuresInARow + 1;
          lastFailure = failure == null ? null : String.valueOf(failure.getMessage());
          outcomes.get(row).complete(new Outcome(failure));
        }
      } catch (Throwable t) {
        rows.completeExceptionally(t);
      }
    }

    /**
     * Rows in an order where each leaves the next one's starting point: for each k, before then after, each
     * scenario of the lane in turn. Chain lane: create leaves the Ready object (spec A) that replace needs
     * and leaves again, which delete needs; delete leaves the empty namespace create needs. Edits lane: each
     * update flips the object between spec A and B, Ready either way.
     */
    private List<Row> interleave(Map<Scenario, List<String>> measured, Map<Scenario, Set<Integer>> sameAsAfterPrevious) {
      int most = measured.values().stream().mapToInt(List::size).max().orElse(0);
      List<Row> table = new ArrayList<>();
      for (int k : myKs(measured, most)) {
        for (Crash when : Crash.values()) {
          for (Scenario s : scenarios) {
            addRow(table, measured, s, k, when, sameAsAfterPrevious.getOrDefault(s, Set.of()));
          }
        }
      }
      return table;
    }

    /**
     * The k's this lane runs. Every lane of a kind computes the same split from the same plan (the first of their dry
     * runs to end: which before-rows are the same state as an after-row, so not run), and each k goes to exactly one
     * lane: in order, to the lane with the fewest rows to run so far. Every n-th k split the rows run unevenly (5 to
     * 13 a lane with four lanes), since the rows not run cluster on some k's.
     */
    private List<Integer> myKs(Map<Scenario, List<String>> measured, int most) {
      Map<Scenario, Set<Integer>> plan = new java.util.HashMap<>();
      for (Scenario s : scenarios) {
        plan.put(s, skipPlanByScenario.get(s));
      }
      int[] load = new int[shards];
      List<Integer> mine = new ArrayList<>();
      for (int k = 1; k <= most; k++) {
        int rows = 0;
        for (Scenario s : scenarios) {
          List<String> writes = measured.get(s);
          if (writes != null && k <= writes.size()) {
            rows += plan.get(s).contains(k) ? 1 : 2;
          }
        }
        int lane = 0;
        for (int i = 1; i < shards; i++) {
          if (load[i] < load[lane]) {
            lane = i;
          }
        }
        load[lane] += rows;
        if (lane == shard) {
          mine.add(k);
        }
      }
      return mine;
    }

    private static void addRow(List<Row> table, Map<Scenario, List<String>> measured, Scenario s, int k, Crash when, Set<Integer> same) {
      List<String> writes = measured.get(s);
      if (writes != null && k <= writes.size()) {
        table.add(new Row(s, k, when, writes, when == Crash.BEFORE && same.contains(k)));
      }
    }

    /**
     * The scenario without a crash: its writes, in order, as the proxy saw them. A scenario that flips the
     * object between two states runs both ways in the first lane, which must be the same writes, or their inverses
     * where B removes what A has ({@link #back}), at the same places (its rows run both ways); the other lanes then
     * only check that they count the same writes one way (A to B: every lane starts at A).
     */
    private List<String> dryRun(Scenario s, Map<Scenario, Set<Integer>> sameAsAfterPrevious) {
      Set<Integer> same = new java.util.HashSet<>();
      List<String> writes = dryRunOnce(s, same);
      if (s.flips && shard == 0) {
        Set<Integer> sameBack = new java.util.HashSet<>();
        List<String> back = dryRunOnce(s, sameBack);
        report(String.format("%s · %s · dry run back, no crash: %d writes %s", label, s.label, back.size(), back));
        assertThat(back).as(s.label + " back: the same writes as forth, a removal's inverse where forth removes").isEqualTo(back(writes));
        same.retainAll(sameBack);
      }
      sameAsAfterPrevious.put(s, same);
      // The first lane of the scenario to get here sets the plan every lane splits its k's by (myKs).
      skipPlanByScenario.putIfAbsent(s, Set.copyOf(same));
      // The lanes of a scenario share its k's between them: they must count the same writes, or some k
      // would run in no lane.
      assertThat(measuredByScenario.computeIfAbsent(s, x -> writes)).as(s.label + ": the same writes in every lane").isEqualTo(writes);
      return writes;
    }

    /**
     * One dry run; {@code same} gets each k (from 2) where a kill before write k would find what a kill after write
     * k - 1 finds: AWS is the same at both moments, and so is the object when the operator wrote nothing to it in
     * between (its status is written when a reconcile ends: writes k - 1 and k were in one reconcile).
     */
    private List<String> dryRunOnce(Scenario s, Set<Integer> same) {
      ensureOperator();
      s.prepare(this);
      proxy.resetWrites();
      Map<Integer, String> answered = new java.util.concurrent.ConcurrentHashMap<>();
      Map<Integer, String> nextArrived = new java.util.concurrent.ConcurrentHashMap<>();
      proxy.observeBoundaries(new AwsFaultProxy.Boundaries() {
        @Override
        public void answered(int k) {
          answered.put(k, resourceVersion());
        }

        @Override
        public void nextArrived(int k) {
          nextArrived.put(k, resourceVersion());
        }
      });
      try {
        s.act(this);
        s.awaitConverged(this);
      } finally {
        proxy.observeBoundaries(null);
      }
      List<String> writes = proxy.writes();
      for (int k = 1; k < writes.size(); k++) {
        if (answered.containsKey(k) && answered.get(k).equals(nextArrived.get(k))) {
          same.add(k + 1);
        }
      }
      assertThat(s.problems(this)).as(label + " " + s.label + " without a crash").isEmpty();
      assertThat(writes).as("writes of " + s.label).isNotEmpty();
      return writes;
    }

    private void crashRow(Row row) throws Exception {
      // A row that failed may have left its crash point armed and calls cut off: the next row starts from neither.
      proxy.resetWrites();
      ensureOperator();
      row.scenario().prepare(this);
      proxy.resetWrites();
      // The direction an update row goes: rows alternate, but a row that failed may not have flipped the object.
      List<String> writes = row.writesFrom(spec);
      List<String> undone = row.undone(spec);
      CompletableFuture<AwsRequest> killed = proxy.crashAt(row.write(), row.when(), () -> operator.kill());
      row.scenario().act(this);
      AwsRequest at;
      try {
        at = killed.get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the operator never reached write " + row.write() + " within " + KILL_WAIT_SECONDS
            + " s; its writes: " + proxy.writes() + "; the object's Ready condition: " + OperatorHarness.readyCondition(get())
            + "; " + operatorDiagnosis());
      }
      List<String> seen = proxy.writes();
      proxy.resetWrites();
      assertThat(at.name()).as("write " + row.write() + " (writes until the kill: " + seen + ")").isEqualTo(writes.get(row.write() - 1));
      startOperator();
      row.scenario().awaitConverged(this);
      assertThat(row.scenario().problems(this)).as("after the restart").isEmpty();
      // Exactly once: nothing AWS already applied is written again, nothing left undone is skipped.
      assertThat(proxy.writes()).as("writes of the restarted operator").isEqualTo(undone);
    }

    // --- the object ---

    void ensureOperator() {
      if (operator == null || !operator.alive()) {
        startOperator();
      }
    }

    String operatorDiagnosis() {
      OperatorProcess o = operator;
      return o == null ? "no operator started" : o.diagnosis();
    }

    void startOperator() {
      operator = OperatorProcess.start(world, cluster, ns, RESYNC_SECONDS, Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString()),
          OperatorProcess.quickStartFlags());
    }

    String yaml(Spec s, int m) {
      if (canary) {
        return canaryYaml(s);
      }
      String y = pre.articleStack(ns, name);
      String a = pre.subnets().get("a");
      String b = pre.subnets().get("b");
      String c = pre.subnets().get("c");
      String d = pre.subnets().get("d");
      String e = pre.subnets().get("e");
      y = swap(y, "- subnetId: " + a + "\n        privateIPv4Address: 10.20.0.10",
          m == 0 ? "- subnetId: " + a + "\n        privateIPv4Address: " + staticIps[0]
              : "- subnetId: " + b + "\n        privateIPv4Address: " + staticIps[1]);
      y = entryPoint(y, s);
      if (s == Spec.B) {
        y = swap(y, "crossZoneLoadBalancing: true", "crossZoneLoadBalancing: false");
        y = swap(y, "      port: 80\n    healthCheck:\n      path: /healthz", "      port: 81\n    healthCheck:\n      path: /ready");
        y = swap(y, "subnets: [" + b + ", " + c + "]", "subnets: [" + c + ", " + d + "]");
        y = swap(y, "securityGroups: [" + pre.albSecurityGroup() + "]\n    listener:\n      port: 80",
            "securityGroups: [" + pre.lambdaSecurityGroup() + "]\n    listener:\n      port: 8080");
        y = swap(y, "tag: latest", "tag: next");
        y = swap(y, "roleArn: " + pre.roleArn(), "roleArn: " + secondRole);
        y = swap(y, "timeoutSeconds: 30", "timeoutSeconds: 31");
        y = swap(y, "memoryMiB: 512", "memoryMiB: 640");
        y = swap(y, "ENV: hoge", "ENV: fuga");
        y = swap(y, "subnetIds: [" + d + ", " + e + "]", "subnetIds: [" + c + ", " + e + "]");
        y = swap(y, "securityGroupIds: [" + pre.lambdaSecurityGroup() + "]", "securityGroupIds: [" + pre.albSecurityGroup() + "]");
        y = swap(y, "multiValueHeaders: false", "multiValueHeaders: true");
        y = swap(y, "team: payments", "team: orders");
      }
      return y;
    }

    /**
     * The provisioned lane's stack: the article's, the ALB invoking the function's alias (a rollout), and on A provisioned
     * concurrency on that alias. No image change ever comes, so no canary: the rows write the concurrency alone.
     */
    String canaryYaml(Spec s) {
      String y = swap(pre.articleStack(ns, name), "privateIPv4Address: 10.20.0.10", "privateIPv4Address: " + staticIps[0]);
      return swap(y, "    multiValueHeaders: false", (s == Spec.A ? "      provisionedConcurrency: " + PROVISIONED + "\n" : "")
          + "      rollout:\n        steps:\n          - {weight: 10, pauseSeconds: 2}\n    multiValueHeaders: false");
    }

    /**
     * The production entry point's fields (#22): the NLB's security group with its PrivateLink setting off (AWS's
     * default is on: SetSecurityGroups right after the creation) and an allow-listed NLB attribute; HTTPS with a default
     * and an SNI certificate, the HTTP listener redirecting to it; ALB attributes and access logs; A also the web ACL and
     * the function's reserved concurrency. B has other certificates, another policy and NLB attribute ({@link Spec}).
     */
    private String entryPoint(String y, Spec s) {
      y = swap(y, "    crossZoneLoadBalancing: true\n", "    crossZoneLoadBalancing: true\n    securityGroups: [" + pre.albSecurityGroup()
          + "]\n    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false\n");
      y = swap(y, "      path: /healthz\n", "      path: /healthz\n    attributes:\n      extra: {dns_record.client_routing_policy: "
          + nlbRoutingPolicy(s) + "}\n");
      y = swap(y, "    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    https:\n      certificateArns: ["
          + defaultCertificate(s) + ", " + sniCertificate(s) + "]\n" + (s == Spec.B ? "      sslPolicy: " + B_SSL_POLICY + "\n" : "")
          + "      redirectHttp: true\n    attributes:\n      idleTimeoutSeconds: 120\n"
          + "      dropInvalidHeaderFields: true\n      extra: {routing.http.xff_header_processing.mode: preserve}\n"
          + "      accessLogs: {bucket: " + logBucket + ", prefix: crash}\n" + (s == Spec.B ? "" : "    webAclArn: " + webAcl + "\n")
          + "  lambda:");
      if (s == Spec.B) {
        return y;
      }
      String reserved = y.replaceFirst("(\n      roleArn: [^\n]*\n)", "$1      reservedConcurrency: " + RESERVED + "\n");
      if (reserved.equals(y)) {
        throw new IllegalStateException("examples/article-stack.yaml changed: the function's roleArn is gone");
      }
      return reserved;
    }

    private static String defaultCertificate(Spec s) {
      return certificates.get(s == Spec.B ? 3 : 0);
    }

    private static String sniCertificate(Spec s) {
      return certificates.get(s == Spec.B ? 2 : 1);
    }

    private static String sslPolicy(Spec s) {
      return s == Spec.B ? B_SSL_POLICY : HttpsSpec.DEFAULT_SSL_POLICY;
    }

    private static String nlbRoutingPolicy(Spec s) {
      return s == Spec.B ? "partial_availability_zone_affinity" : "availability_zone_affinity";
    }

    private static String swap(String yaml, String from, String to) {
      if (!yaml.contains(from)) {
        throw new IllegalStateException("examples/article-stack.yaml changed: '" + from + "' is gone");
      }
      return yaml.replace(from, to);
    }

    void apply(Spec s, int m) {
      client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
          .load(new ByteArrayInputStream(yaml(s, m).getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
      spec = s;
      mapping = m;
      exists = true;
    }

    void delete() {
      client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).delete();
    }

    /** The object's resourceVersion now ("gone" once it is), read from the API server, not a cache. */
    String resourceVersion() {
      GenericKubernetesResource r = get();
      return r == null ? "gone" : r.getMetadata().getResourceVersion();
    }

    GenericKubernetesResource get() {
      return client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).get();
    }

    /** Ready=True at the object's current generation; fails with the last condition seen. */
    void awaitReady() {
      OperatorHarness.Watched w = OperatorHarness.watchUntil(resource(), r -> {
        Map<String, Object> c = OperatorHarness.readyCondition(r);
        return r != null && "True".equals(c.get("status")) && c.get("observedGeneration") instanceof Number g
            && g.longValue() == r.getMetadata().getGeneration();
      }, CONVERGE);
      if (!w.satisfied()) {
        throw new AssertionError("not Ready at its generation within " + CONVERGE + "; last Ready condition: "
            + OperatorHarness.readyCondition(w.object()) + "; " + operatorDiagnosis());
      }
    }

    void awaitGone() {
      if (!OperatorHarness.watchUntil(resource(), java.util.Objects::isNull, CONVERGE).satisfied()) {
        GenericKubernetesResource left = get();
        throw new AssertionError("still there " + CONVERGE + " after its deletion (deletionTimestamp "
            + (left == null ? null : left.getMetadata().getDeletionTimestamp()) + "); its Ready condition: "
            + OperatorHarness.readyCondition(left) + "; " + operatorDiagnosis());
      }
      exists = false;
    }

    io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource() {
      return client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name);
    }

    /** The object Ready at the lane's current spec (applied with the operator running, no crash armed). */
    void ensureReady() {
      if (!exists || get() == null) {
        apply(spec, mapping);
      }
      awaitReady();
    }

    /** The object Ready at spec {@code s}: applied first if it has the other one (the provisioned lane's scenarios). */
    void ensureReadyAt(Spec s) {
      if (spec != s) {
        apply(s, mapping);
      }
      ensureReady();
    }

    void ensureAbsent() {
      if (get() != null) {
        delete();
      }
      awaitGone();
    }

    OwnedChain read() {
      return OwnedChain.read(elb, lambda, cluster, ns, name, name + "-" + ns, pre.vpcId());
    }

    /** Duplicates, untagged pieces, and every field that differs from the spec last applied. */
    List<String> problemsAgainstSpec() {
      if (canary) {
        return provisionedProblems();
      }
      OwnedChain chain = read();
      List<String> problems = new ArrayList<>(chain.problems(true));
      if (!problems.isEmpty()) {
        return problems;
      }
      boolean b = spec == Spec.B;
      Consumer<String> differs = problems::add;
      LoadBalancer nlb = chain.loadBalancer(chain.names().nlb()).orElseThrow();
      LoadBalancer alb = chain.loadBalancer(chain.names().alb()).orElseThrow();
      TargetGroup albTargets = chain.targetGroup(chain.names().albTargetGroup()).orElseThrow();
      TargetGroup lambdaTargets = chain.targetGroup(chain.names().lambdaTargetGroup()).orElseThrow();
      expect(differs, "NLB subnet", subnetsOf(nlb),
          List.of(pre.subnets().get(mapping == 0 ? "a" : "b")));
      Map<String, String> nlbAttributes = attributes(nlb);
      expect(differs, "NLB cross-zone", nlbAttributes.get("load_balancing.cross_zone.enabled"), b ? "false" : "true");
      expect(differs, "NLB client routing policy", nlbAttributes.get("dns_record.client_routing_policy"), nlbRoutingPolicy(spec));
      expect(differs, "NLB security groups", nlb.securityGroups(), List.of(pre.albSecurityGroup()));
      expect(differs, "NLB inbound rules on PrivateLink traffic", nlb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(), "off");
      Listener nlbHttp = listenerBesides(nlb, HTTPS_PORT);
      Listener nlbHttps = listenerOn(nlb, HTTPS_PORT);
      expect(differs, "NLB listener port", nlbHttp == null ? null : nlbHttp.port(), b ? 81 : 80);
      expect(differs, "NLB listener's group", action(nlbHttp), "forward to " + albTargets.targetGroupArn());
      TargetGroup httpsAlbTargets = chain.targetGroup(chain.names().albHttpsTargetGroup()).orElseThrow();
      expect(differs, "NLB HTTPS port's listener's group", action(nlbHttps), "forward to " + httpsAlbTargets.targetGroupArn());
      expect(differs, "ALB subnets", subnetsOf(alb), b ? sorted(pre.subnets().get("c"), pre.subnets().get("d"))
          : sorted(pre.subnets().get("b"), pre.subnets().get("c")));
      expect(differs, "ALB security groups", alb.securityGroups(), List.of(b ? pre.lambdaSecurityGroup() : pre.albSecurityGroup()));
      // The entry point's values differ from AWS's defaults (idle timeout 60, drop invalid headers false, xff append; the
      // NLB's any_availability_zone, PrivateLink rules on), so a field left unset shows.
      Map<String, String> albAttributes = attributes(alb);
      expect(differs, "ALB idle timeout", albAttributes.get("idle_timeout.timeout_seconds"), "120");
      expect(differs, "ALB drop invalid header fields", albAttributes.get("routing.http.drop_invalid_header_fields.enabled"), "true");
      expect(differs, "ALB X-Forwarded-For processing", albAttributes.get("routing.http.xff_header_processing.mode"), "preserve");
      expect(differs, "ALB access logs", albAttributes.get("access_logs.s3.enabled") + " to " + albAttributes.get("access_logs.s3.bucket") + "/"
          + albAttributes.get("access_logs.s3.prefix"), "true to " + logBucket + "/crash");
      expect(differs, "ALB web ACL", Optional.ofNullable(waf.getWebACLForResource(r -> r.resourceArn(alb.loadBalancerArn())).webACL())
          .map(acl -> acl.arn()).orElse(null), b ? null : webAcl);
      Listener albHttp = listenerBesides(alb, HTTPS_PORT);
      Listener albHttps = listenerOn(alb, HTTPS_PORT);
      expect(differs, "ALB listener port", albHttp == null ? null : albHttp.port(), b ? 8080 : 80);
      expect(differs, "ALB listener's action", action(albHttp), "redirect HTTP_301 to HTTPS:" + HTTPS_PORT);
      expect(differs, "ALB HTTPS listener", albHttps == null ? null : albHttps.protocolAsString() + " " + action(albHttps) + " with "
          + albHttps.sslPolicy() + " and default certificate " + albHttps.certificates().get(0).certificateArn(), "HTTPS forward to "
          + lambdaTargets.targetGroupArn() + " with " + sslPolicy(spec) + " and default certificate " + defaultCertificate(spec));
      expect(differs, "ALB HTTPS listener's SNI certificates", albHttps == null ? null : elb.describeListenerCertificates(r -> r.listenerArn(
          albHttps.listenerArn())).certificates().stream().filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(c -> c.certificateArn())
          .toList(), List.of(sniCertificate(spec)));
      expect(differs, "alb target group port", albTargets.port(), b ? 8080 : 80);
      // The HTTP listener redirects: the NLB checks both ports' groups through HTTPS.
      for (TargetGroup g : List.of(albTargets, httpsAlbTargets)) {
        expect(differs, "health check of " + g.targetGroupName(), g.healthCheckProtocolAsString() + ":" + g.healthCheckPort() + g.healthCheckPath(),
            "HTTPS:" + HTTPS_PORT + (b ? "/ready" : "/healthz"));
      }
      expect(differs, "alb target group of the HTTPS port: port", httpsAlbTargets.port(), HTTPS_PORT);
      expect(differs, "lambda target group multi-value headers", elb.describeTargetGroupAttributes(r -> r.targetGroupArn(
          lambdaTargets.targetGroupArn())).attributes().stream().filter(a -> a.key().equals("lambda.multi_value_headers.enabled"))
          .map(a -> a.value()).findFirst().orElse(null), b ? "true" : "false");
      FunctionConfiguration fn = chain.function().orElseThrow().configuration();
      expect(differs, "function role", fn.role(), b ? secondRole : pre.roleArn());
      expect(differs, "function timeout", fn.timeout(), b ? 31 : 30);
      expect(differs, "function memory", fn.memorySize(), b ? 640 : 512);
      expect(differs, "function environment", fn.environment().variables(),
          Map.of("ENV", b ? "fuga" : "hoge", "LAMBDA_INGRESS_HEALTH_PATH", b ? "/ready" : "/healthz"));
      expect(differs, "function subnets", sorted(fn.vpcConfig().subnetIds().toArray(String[]::new)),
          b ? sorted(pre.subnets().get("c"), pre.subnets().get("e")) : sorted(pre.subnets().get("d"), pre.subnets().get("e")));
      expect(differs, "function security groups", fn.vpcConfig().securityGroupIds(), List.of(b ? pre.albSecurityGroup() : pre.lambdaSecurityGroup()));
      String image = chain.function().get().code().imageUri();
      expect(differs, "function image digest", image.substring(image.indexOf('@') + 1), b ? nextDigest : latestDigest);
      for (String arn : List.of(nlb.loadBalancerArn(), alb.loadBalancerArn(), albTargets.targetGroupArn(), httpsAlbTargets.targetGroupArn(),
          lambdaTargets.targetGroupArn())) {
        expect(differs, "tag team of " + arn, chain.tagsOf(arn).get("team"), b ? "orders" : "payments");
      }
      expect(differs, "function tag team", chain.function().get().tags().get("team"), b ? "orders" : "payments");
      expect(differs, "function reserved concurrency", Optional.ofNullable(chain.function().get().concurrency())
          .map(c -> c.reservedConcurrentExecutions()).orElse(null), b ? null : RESERVED);
      return problems;
    }

    /** The provisioned lane's: the alias-served chain exactly right, and the alias's provisioned concurrency as the spec says. */
    private List<String> provisionedProblems() {
      OwnedChain chain = read();
      List<String> problems = new ArrayList<>(chain.problems(false, true));
      if (!problems.isEmpty()) {
        return problems;
      }
      String function = chain.function().orElseThrow().configuration().functionName();
      Integer requested;
      try {
        requested = lambda.getProvisionedConcurrencyConfig(r -> r.functionName(function).qualifier(AliasStep.ALIAS))
            .requestedProvisionedConcurrentExecutions();
      } catch (ProvisionedConcurrencyConfigNotFoundException e) {
        requested = null;
      }
      expect(problems::add, "provisioned concurrency on alias " + AliasStep.ALIAS, requested, spec == Spec.A ? PROVISIONED : null);
      return problems;
    }

    private static void expect(Consumer<String> differs, String what, Object actual, Object wanted) {
      if (!java.util.Objects.equals(actual, wanted)) {
        differs.accept(what + " is " + actual + ", the spec says " + wanted);
      }
    }

    private static List<String> sorted(String... ids) {
      return Stream.of(ids).sorted().toList();
    }

    private static List<String> subnetsOf(LoadBalancer lb) {
      return lb.availabilityZones().stream().map(z -> z.subnetId()).sorted().toList();
    }

    private static Map<String, String> attributes(LoadBalancer lb) {
      return elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes().stream()
          .collect(java.util.stream.Collectors.toMap(a -> a.key(), a -> a.value()));
    }

    /** The load balancer's listener on the port (null: none). */
    private static Listener listenerOn(LoadBalancer lb, int port) {
      return elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream().filter(l -> l.port() == port)
          .findFirst().orElse(null);
    }

    /** A listener's one default action, as "forward to <group>" or "redirect <code> to <protocol>:<port>" (null: no listener). */
    private static String action(Listener l) {
      if (l == null) {
        return null;
      }
      List<String> actions = l.defaultActions().stream().map(a -> switch (a.type()) {
        case FORWARD -> "forward to " + (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()
            ? a.forwardConfig().targetGroups().stream().map(t -> t.targetGroupArn()).sorted().collect(java.util.stream.Collectors.joining(", "))
            : a.targetGroupArn());
        case REDIRECT -> "redirect " + a.redirectConfig().statusCodeAsString() + " to " + a.redirectConfig().protocol() + ":" + a.redirectConfig().port();
        default -> a.typeAsString();
      }).toList();
      return actions.size() == 1 ? actions.get(0) : actions.toString();
    }

    /** Its listener on another port than this one: the HTTP one (null: none). */
    private static Listener listenerBesides(LoadBalancer lb, int port) {
      return elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream().filter(l -> l.port() != port)
          .findFirst().orElse(null);
    }

    /** Deletes the object with a live operator (no crash armed), so the world is left as found. */
    @Override
    public void close() {
      closed = true;
      try {
        if (thread != null) {
          thread.join(TimeUnit.MINUTES.toMillis(5));
        }
        proxy.resetWrites();
        if (get() != null) {
          ensureOperator();
          delete();
          awaitGone();
        }
      } catch (Throwable t) {
        System.out.printf("crash-table %s: clean-up failed: %s%n", label, t);
      } finally {
        try {
          if (operator != null) {
            operator.close();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        proxy.close();
      }
    }
  }

  /**
   * One line per row as it finishes, on stdout (the Failsafe report) and in target/crash-table.txt, which
   * can be followed while the table runs.
   */
  private static synchronized void report(String line) {
    System.out.println("crash-table " + line);
    try {
      java.nio.file.Files.writeString(LocalWorld.repoRoot().resolve("operator/target/crash-table.txt"), line + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

}
