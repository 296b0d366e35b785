package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinalizerReleaseTest {

  @Test
  void thePatchRemovesTheFinalizerOnlyFromTheObjectWithThisUidAndOnlyWhereItStands() {
    assertThat(FinalizerRelease.patch("3f2a", 1, "lambdaingresses.lambdaingress.io/finalizer")).isEqualTo(
        "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"3f2a\"},"
            + "{\"op\":\"test\",\"path\":\"/metadata/finalizers/1\",\"value\":\"lambdaingresses.lambdaingress.io/finalizer\"},"
            + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}]");
  }
}
