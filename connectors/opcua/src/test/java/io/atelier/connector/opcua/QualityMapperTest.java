package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Quality;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.Test;

class QualityMapperTest {

  @Test
  void plainGoodIsTheSharedGoodQuality() {
    assertThat(QualityMapper.quality(StatusCode.GOOD)).isSameAs(Quality.GOOD);
  }

  @Test
  void keepsTheNativeCodeAndItsNameForUncertainAndBad() {
    Quality uncertain =
        QualityMapper.quality(new StatusCode(StatusCodes.Uncertain_LastUsableValue));
    assertThat(uncertain.level()).isEqualTo(Quality.Level.UNCERTAIN);
    assertThat(uncertain.nativeCode()).isEqualTo(StatusCodes.Uncertain_LastUsableValue);
    assertThat(uncertain.detail()).isEqualTo("Uncertain_LastUsableValue");

    Quality bad = QualityMapper.quality(new StatusCode(StatusCodes.Bad_NodeIdUnknown));
    assertThat(bad.level()).isEqualTo(Quality.Level.BAD);
    assertThat(bad.nativeCode()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
    assertThat(bad.detail()).isEqualTo("Bad_NodeIdUnknown");
  }

  @Test
  void overflowBitMakesAGoodValueUncertain() {
    StatusCode overflow = StatusCode.GOOD.withOverflow();
    Quality q = QualityMapper.quality(overflow);
    assertThat(q.level()).isEqualTo(Quality.Level.UNCERTAIN);
    assertThat(q.nativeCode()).isEqualTo(overflow.value());
    assertThat(q.detail()).startsWith("Good; overflow");
  }

  @Test
  void lostNotificationsMakeTheNextValueUncertain() {
    Quality q = QualityMapper.quality(StatusCode.GOOD, true, List.of());
    assertThat(q.level()).isEqualTo(Quality.Level.UNCERTAIN);
    assertThat(q.detail()).isEqualTo("Good; " + QualityMapper.DATA_LOST);
    // A bad value stays bad.
    assertThat(
            QualityMapper.quality(
                    new StatusCode(StatusCodes.Bad_CommunicationError), true, List.of())
                .level())
        .isEqualTo(Quality.Level.BAD);
  }
}
