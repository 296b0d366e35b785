package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MapDiffTest {

  @Test
  void tagsAreMadeExactlyTheWantedOnesButAwsReservedTagsStay() {
    MapDiff d = MapDiff.tags(Map.of("team", "payments", "old", "x", "aws:cloudformation:stack-name", "s", "same", "1"),
        Map.of("team", "checkout", "same", "1", "new", "y"));

    assertThat(d.set()).containsOnly(Map.entry("team", "checkout"), Map.entry("new", "y"));
    assertThat(d.removed()).containsExactly("old");
    assertThat(d.applyTo(Map.of("team", "payments", "old", "x", "aws:cloudformation:stack-name", "s", "same", "1")))
        .containsOnly(Map.entry("team", "checkout"), Map.entry("new", "y"), Map.entry("same", "1"),
            Map.entry("aws:cloudformation:stack-name", "s"));
    assertThat(d.describe()).isEqualTo("set " + d.set().keySet() + ", removed [old]").doesNotContain("checkout");
  }

  @Test
  void attributesOnlyCompareTheWantedKeys() {
    MapDiff d = MapDiff.attributes(Map.of("load_balancing.cross_zone.enabled", "false", "deletion_protection.enabled", "false"),
        Map.of("load_balancing.cross_zone.enabled", "true"));

    assertThat(d.set()).containsOnly(Map.entry("load_balancing.cross_zone.enabled", "true"));
    assertThat(d.removed()).isEmpty();
    assertThat(MapDiff.attributes(Map.of("a", "1", "b", "2"), Map.of("a", "1")).isEmpty()).isTrue();
  }
}
