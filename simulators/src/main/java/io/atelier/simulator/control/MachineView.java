package io.atelier.simulator.control;

import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.ProductionModel;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SimulatedMachine;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the control API shows a machine. Built on the simulation thread. */
final class MachineView {

  private MachineView() {}

  static Map<String, Object> summary(SimulatedMachine machine) {
    MachineInfo info = machine.info();
    ProductionModel p = machine.production();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", info.id());
    m.put("type", info.type());
    m.put("path", info.ref().path());
    m.put("protocol", info.protocol());
    m.put("state", p.state().name());
    m.put("reason", p.reason());
    m.put("alarm_code", p.alarmCode());
    m.put("good_count", p.goodCount());
    m.put("reject_count", p.rejectCount());
    m.put("total_good", p.totalGood());
    m.put("total_reject", p.totalReject());
    m.put("job_number", p.jobNumber());
    m.put("speed", p.speed());
    m.put("scrap_rate", p.scrapRate());
    m.put("ideal_cycle_time_s", p.params().idealCycleTime().toMillis() / 1000.0);
    m.put("cycle_time_s", p.lastCycleMs() / 1000.0);
    return m;
  }

  static Map<String, Object> detail(SimulatedMachine machine, SignalBoard board) {
    Map<String, Object> m = summary(machine);
    Map<String, Object> signals = new LinkedHashMap<>();
    for (SignalDef s : machine.info().signals()) {
      board.get(machine.id(), s.name()).ifPresent(v -> signals.put(s.name(), v.value()));
    }
    m.put("signals", signals);
    return m;
  }
}
