package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

/** The Event name is the aggregation key: the same occurrence gets the same name, any difference another. */
class KubernetesEventsTest {

  private static HasMetadata object(String name, String uid) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(uid).endMetadata().build();
  }

  @Test
  void theSameOccurrenceHasTheSameName() {
    String a = KubernetesEvents.eventName(object("sample", "u1"), "Warning", "AwsAccessDenied", "deletion failed: x");
    assertThat(KubernetesEvents.eventName(object("sample", "u1"), "Warning", "AwsAccessDenied", "deletion failed: x")).isEqualTo(a);
    assertThat(a).matches("sample\\.[0-9a-f]{16}");
  }

  @Test
  void typeReasonMessageAndObjectIncarnationEachMakeAnotherEvent() {
    HasMetadata o = object("sample", "u1");
    String a = KubernetesEvents.eventName(o, "Normal", "Deleted", "NLB n: object deleted");
    assertThat(KubernetesEvents.eventName(o, "Normal", "Deleted", "ALB a: object deleted")).isNotEqualTo(a);
    assertThat(KubernetesEvents.eventName(o, "Normal", "Created", "NLB n: object deleted")).isNotEqualTo(a);
    assertThat(KubernetesEvents.eventName(o, "Warning", "Deleted", "NLB n: object deleted")).isNotEqualTo(a);
    // Deleted and re-created under the same name: a new uid, a fresh Event.
    assertThat(KubernetesEvents.eventName(object("sample", "u2"), "Normal", "Deleted", "NLB n: object deleted")).isNotEqualTo(a);
  }

  @Test
  void aLongObjectNameStillGivesAValidName() {
    String name = KubernetesEvents.eventName(object("x".repeat(253), "u"), "Normal", "Created", "m");
    assertThat(name).hasSize(253);
  }
}
