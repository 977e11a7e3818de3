package io.atelier.gateway.kpi;

import java.time.Instant;

/**
 * A machine entered a state (or its native state or downtime reason changed): one point of the
 * {@code machine_state} measurement.
 *
 * @param machine the machine id
 * @param state the mapped state
 * @param isoBucket the ISO 22400 time element of the state (APT, ASUT, ADET, ADOT, PDOT, OFFLINE)
 * @param nativeState the native state as the machine said it (code, name, or rule)
 * @param reason the downtime reason while stopped (alarm code or native state), else empty
 * @param at when it happened (event time)
 */
public record MachineStateChange(
    String machine,
    MachineState state,
    String isoBucket,
    String nativeState,
    String reason,
    Instant at) {}
