package io.lambdaingress.operator.model;

import static io.lambdaingress.operator.model.AlbSlot.FIRST;
import static io.lambdaingress.operator.model.AlbSlot.SECOND;
import static io.lambdaingress.operator.model.AlbSlot.Fit.ABSENT;
import static io.lambdaingress.operator.model.AlbSlot.Fit.DIFFERS;
import static io.lambdaingress.operator.model.AlbSlot.Fit.FITS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlbSlotTest {

  @Test
  void aNewObjectAndAnUnchangedOneKeepTheFirstNames() {
    assertThat(AlbSlot.wanted(ABSENT, ABSENT, null)).isEqualTo(FIRST);
    assertThat(AlbSlot.wanted(FITS, ABSENT, FIRST)).isEqualTo(FIRST);
  }

  @Test
  void aCreationOnlyChangeBuildsTheOtherSideAndStaysThereThroughTheMove() {
    // The scheme changed: the first ALB differs, the second side is built while the NLB still forwards to the first.
    assertThat(AlbSlot.wanted(DIFFERS, ABSENT, FIRST)).isEqualTo(SECOND);
    assertThat(AlbSlot.wanted(DIFFERS, FITS, FIRST)).isEqualTo(SECOND);
    // Moved; the first side drains, then is gone.
    assertThat(AlbSlot.wanted(DIFFERS, FITS, SECOND)).isEqualTo(SECOND);
    assertThat(AlbSlot.wanted(ABSENT, FITS, SECOND)).isEqualTo(SECOND);
    // Changed back later: the first names are free again.
    assertThat(AlbSlot.wanted(ABSENT, DIFFERS, SECOND)).isEqualTo(FIRST);
  }

  @Test
  void aChangeRevertedMidwayReturnsToTheSideThatFits() {
    assertThat(AlbSlot.wanted(FITS, DIFFERS, FIRST)).isEqualTo(FIRST);
    assertThat(AlbSlot.wanted(FITS, DIFFERS, SECOND)).isEqualTo(FIRST);
  }

  @Test
  void whenBothFitTheOneServingStays() {
    assertThat(AlbSlot.wanted(FITS, FITS, SECOND)).isEqualTo(SECOND);
    assertThat(AlbSlot.wanted(FITS, FITS, FIRST)).isEqualTo(FIRST);
  }

  @Test
  void whenNeitherFitsTheOneNotServingIsRebuilt() {
    assertThat(AlbSlot.wanted(DIFFERS, DIFFERS, FIRST)).isEqualTo(SECOND);
    assertThat(AlbSlot.wanted(DIFFERS, DIFFERS, SECOND)).isEqualTo(FIRST);
    assertThat(AlbSlot.wanted(DIFFERS, DIFFERS, null)).isEqualTo(FIRST);
  }
}
