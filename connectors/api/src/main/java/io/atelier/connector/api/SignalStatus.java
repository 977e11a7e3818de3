package io.atelier.connector.api;

import java.time.Instant;
import java.util.Optional;

/**
 * The health of one configured signal as its connector sees it.
 *
 * @param ok whether the source accepted the signal (OPC UA node exists, subscription item good)
 * @param error why not, if not
 * @param since when the signal entered this state
 */
public record SignalStatus(boolean ok, Optional<String> error, Instant since) {}
