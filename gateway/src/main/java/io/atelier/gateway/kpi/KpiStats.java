package io.atelier.gateway.kpi;

/**
 * What the KPI engine could not use, per machine, for /metrics and troubleshooting.
 *
 * @param machine the machine id
 * @param state its current state
 * @param unknownCodes state values the mapping did not know (booked as the mapping's unknown state)
 * @param lateSamples samples older than what was already booked (applied at the booked time, or
 *     ignored for counters)
 * @param badQuality samples of KPI signals with BAD quality or no value (ignored)
 * @param badValues KPI signal values of the wrong type (a text for a counter; ignored)
 * @param counterResets counter decreases taken as resets
 * @param counterWraps counter decreases taken as wraps
 * @param clockSkew samples whose source time was ahead of their receive time by more than a minute
 *     (booked at their receive time)
 */
public record KpiStats(
    String machine,
    MachineState state,
    long unknownCodes,
    long lateSamples,
    long badQuality,
    long badValues,
    long counterResets,
    long counterWraps,
    long clockSkew) {}
