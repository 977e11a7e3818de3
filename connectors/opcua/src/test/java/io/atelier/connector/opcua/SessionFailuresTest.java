package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.junit.jupiter.api.Test;

class SessionFailuresTest {

  @Test
  void separatesAnAbsentServerFromOneThatNeedsAnOperator() {
    assertThat(SessionFailures.unreachable(Optional.of(StatusCodes.Bad_ConnectionRejected)))
        .isTrue();
    assertThat(SessionFailures.needsOperator(Optional.of(StatusCodes.Bad_ConnectionRejected)))
        .isFalse();
    assertThat(SessionFailures.needsOperator(Optional.of(StatusCodes.Bad_UserAccessDenied)))
        .isTrue();
    assertThat(SessionFailures.unreachable(Optional.of(StatusCodes.Bad_UserAccessDenied)))
        .isFalse();
    // Info bits in the low half do not change the verdict.
    assertThat(
            SessionFailures.needsOperator(
                Optional.of(StatusCodes.Bad_SecurityChecksFailed | 0x0400L)))
        .isTrue();
    assertThat(SessionFailures.unreachable(Optional.empty())).isFalse();
  }

  @Test
  void describesAFailureByItsStatusNameWithoutWrappers() {
    UaException ua = new UaException(StatusCodes.Bad_UserAccessDenied);
    assertThat(SessionFailures.describe(new CompletionException(ua)))
        .startsWith("Bad_UserAccessDenied");
    assertThat(SessionFailures.describe(new IllegalStateException("no endpoint")))
        .isEqualTo("no endpoint");
  }
}
