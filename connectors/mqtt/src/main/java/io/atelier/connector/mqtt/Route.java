package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Optional;

/**
 * Where a received message goes: the machine, the signal when the topic names one, and how to read
 * the payload.
 *
 * @param machine the machine the message belongs to
 * @param signal the signal, for one-value messages; empty for batches
 * @param decoder the payload format
 * @param pointer where the value sits (one-value JSON), when not {@code /value}
 * @param timestampPointer where the timestamp sits, when not {@code /ts} or {@code /timestamp}
 */
public record Route(
    MachineMapping machine,
    Optional<String> signal,
    DecoderKind decoder,
    Optional<JsonPointer> pointer,
    Optional<JsonPointer> timestampPointer) {}
