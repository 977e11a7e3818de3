package io.atelier.gateway.kpi;

import io.atelier.connector.api.MachineRef;

/**
 * A machine the KPI engine follows.
 *
 * @param id the machine id (as in samples)
 * @param ref its ISA-95 path; its line is what line KPIs group by
 * @param config its {@code kpi:} block
 */
public record KpiMachine(String id, MachineRef ref, MachineKpiConfig config) {}
