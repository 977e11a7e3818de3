package io.atelier.simulator.machine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The production state machine of one machine, in simulated time. Event-driven inside each advance:
 * cycle ends, faults, repairs and stops happen at their exact millisecond whatever the tick size,
 * so the state sequence and the counts depend only on the seed and the commands, never on how the
 * clock was stepped.
 *
 * <p>The machine always has a base activity (PRODUCING a part, SETUP between jobs, or IDLE when
 * starved or blocked) with a remaining time. Holds (faults and micro-stops shown as DOWN, planned
 * stops) sit on top of it with their own end times; while any hold is active the base activity is
 * paused and resumes where it left off. DOWN outranks PLANNED_STOP when both are active. Time
 * between failures and between micro-stops counts producing time only.
 *
 * <p>Not thread-safe: one simulation thread owns it.
 */
public final class ProductionModel {

  private static final String PLANNED_STOP_REASON = "planned-stop";
  private static final String CHANGEOVER = "job-changeover";

  private record Hold(MachineState state, long endMs, String reason, long alarmCode) {}

  private final MachineType type;
  private final MachineParams params;
  private final SplittableRandom random;
  private final ProductionListener listener;
  private final List<String> faultReasons;
  private final List<Hold> holds = new ArrayList<>();

  private double speed;
  private double scrapRate;
  private long now;

  private MachineState activity;
  private String activityReason;
  private long activityTotal;
  private long activityRemaining;
  private long untilFailure;
  private long untilMicroStop;

  private long goodCount;
  private long rejectCount;
  private long totalGood;
  private long totalReject;
  private long jobNumber = 1;
  private long jobGood;
  private long jobReject;
  private long jobCycles;
  private long machineCycles;
  private long lastCycleMs;

  private MachineState shownState;
  private String shownReason;
  private long shownAlarm;

  public ProductionModel(
      MachineType type,
      MachineParams params,
      SplittableRandom random,
      long startMs,
      ProductionListener listener) {
    this.type = type;
    this.params = params;
    this.random = random;
    this.listener = listener;
    this.faultReasons = AlarmCatalogue.faultReasons(type);
    this.speed = params.speed();
    this.scrapRate = params.scrapRate();
    this.now = startMs;
    this.untilFailure = params.mtbf().sampleMillis(random);
    this.untilMicroStop = params.microStopInterval().sampleMillis(random);
    startCycle();
    this.shownState = activity;
    this.shownReason = activityReason;
    this.shownAlarm = 0;
  }

  /** Runs the machine up to simulated time {@code t} (epoch ms), firing every event on the way. */
  public void advanceTo(long t) {
    if (t < now) {
      throw new IllegalArgumentException("time runs forward only: " + t + " < " + now);
    }
    int eventsAtSameInstant = 0;
    long lastEventTime = Long.MIN_VALUE;
    while (true) {
      long next = nextEventTime();
      if (next > t) {
        progress(t - now);
        now = t;
        return;
      }
      progress(next - now);
      now = next;
      eventsAtSameInstant = now == lastEventTime ? eventsAtSameInstant + 1 : 0;
      lastEventTime = now;
      if (eventsAtSameInstant > 10_000) {
        // Every event either ends a hold or moves a timer forward by at least 1 ms; getting here
        // means a bug, and looping forever would freeze the whole simulator.
        throw new IllegalStateException("no progress at " + now + " on a " + type.code());
      }
      fireDueEvent();
      publishShown();
    }
  }

  private long nextEventTime() {
    long delay;
    if (!holds.isEmpty()) {
      long end = Long.MAX_VALUE;
      for (Hold h : holds) {
        end = Math.min(end, h.endMs());
      }
      return end;
    }
    delay = activityRemaining;
    if (activity == MachineState.PRODUCING) {
      delay = Math.min(delay, Math.min(untilFailure, untilMicroStop));
    }
    return delay >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delay;
  }

  private void progress(long dt) {
    if (dt <= 0 || !holds.isEmpty()) {
      return;
    }
    activityRemaining -= dt;
    if (activity == MachineState.PRODUCING) {
      if (untilFailure != Distribution.NEVER_MS) {
        untilFailure -= dt;
      }
      if (untilMicroStop != Distribution.NEVER_MS) {
        untilMicroStop -= dt;
      }
    }
  }

  private void fireDueEvent() {
    if (holds.removeIf(h -> h.endMs() <= now)) {
      // The loop comes back at once for anything else due at this instant.
      return;
    }
    if (!holds.isEmpty()) {
      return;
    }
    if (activity == MachineState.PRODUCING && untilFailure <= 0) {
      String reason = faultReasons.get(random.nextInt(faultReasons.size()));
      long repair = params.mttr().sampleMillis(random);
      holds.add(new Hold(MachineState.DOWN, now + repair, reason, alarmCode(reason)));
      untilFailure = params.mtbf().sampleMillis(random);
      return;
    }
    if (activity == MachineState.PRODUCING && untilMicroStop <= 0) {
      long stop = params.microStopDuration().sampleMillis(random);
      holds.add(
          new Hold(
              MachineState.DOWN,
              now + stop,
              AlarmCatalogue.MICRO_STOP,
              AlarmCatalogue.MICRO_STOP_CODE));
      untilMicroStop = params.microStopInterval().sampleMillis(random);
      return;
    }
    if (activityRemaining <= 0) {
      completeActivity();
    }
  }

  private void completeActivity() {
    switch (activity) {
      case PRODUCING -> {
        finishPart();
        nextAfterPart();
      }
      case SETUP -> {
        startJob();
        startCycle();
      }
      default -> startCycle();
    }
  }

  private void finishPart() {
    boolean good = random.nextDouble() >= scrapRate;
    machineCycles++;
    jobCycles++;
    lastCycleMs = activityTotal;
    if (good) {
      totalGood++;
      jobGood++;
      goodCount = goodCount >= params.counterWrap() ? 0 : goodCount + 1;
    } else {
      totalReject++;
      jobReject++;
      rejectCount = rejectCount >= params.counterWrap() ? 0 : rejectCount + 1;
    }
    listener.partMade(now, good);
  }

  private void nextAfterPart() {
    if (params.jobSize() > 0 && jobCycles >= params.jobSize()) {
      startActivity(MachineState.SETUP, CHANGEOVER, params.setupTime().sampleMillis(random));
      return;
    }
    if (params.idleProbability() > 0 && random.nextDouble() < params.idleProbability()) {
      String reason = random.nextBoolean() ? "starved" : "blocked";
      startActivity(MachineState.IDLE, reason, params.idleDuration().sampleMillis(random));
      return;
    }
    startCycle();
  }

  private void startJob() {
    jobNumber++;
    jobGood = 0;
    jobReject = 0;
    jobCycles = 0;
    if (params.resetCountersPerJob()) {
      goodCount = 0;
      rejectCount = 0;
    }
    listener.countersReset(now);
  }

  private void startCycle() {
    double ms = params.idealCycleTime().toMillis() / speed;
    if (params.cycleJitter() > 0) {
      ms *= 1 + params.cycleJitter() * random.nextDouble();
    }
    startActivity(MachineState.PRODUCING, "", Math.max(1L, Math.round(ms)));
  }

  private void startActivity(MachineState state, String reason, long durationMs) {
    activity = state;
    activityReason = reason;
    activityTotal = durationMs;
    activityRemaining = durationMs;
  }

  private void publishShown() {
    MachineState state = activity;
    String reason = activityReason;
    long alarm = 0;
    Hold top = null;
    for (Hold h : holds) {
      if (h.state() == MachineState.DOWN) {
        top = h;
        break;
      }
      if (top == null) {
        top = h;
      }
    }
    if (top != null) {
      state = top.state();
      reason = top.reason();
      alarm = top.alarmCode();
    }
    if (state != shownState || !reason.equals(shownReason) || alarm != shownAlarm) {
      shownState = state;
      shownReason = reason;
      shownAlarm = alarm;
      listener.stateChanged(now, state, reason, alarm);
    }
  }

  private long alarmCode(String reason) {
    return AlarmCatalogue.code(type, reason);
  }

  // ---- trainer commands, applied at the current simulated time ----

  /** Takes the machine DOWN now, for {@code duration} or a repair time drawn from its MTTR. */
  public void injectFault(Optional<Duration> duration, String reason) {
    long d = duration.map(x -> Math.max(1L, x.toMillis())).orElseGet(() -> drawRepair());
    holds.add(new Hold(MachineState.DOWN, now + d, reason, alarmCode(reason)));
    publishShown();
  }

  private long drawRepair() {
    return params.mttr().sampleMillis(random);
  }

  /**
   * Starts a job changeover now; the part in progress is abandoned (it is neither good nor reject:
   * it was never finished). If a hold is active the setup starts once it ends.
   */
  public void forceSetup(Optional<Duration> duration) {
    long d =
        duration
            .map(x -> Math.max(1L, x.toMillis()))
            .orElseGet(() -> params.setupTime().sampleMillis(random));
    startActivity(MachineState.SETUP, CHANGEOVER, d);
    publishShown();
  }

  /** Stops the machine as planned (outside planned busy time), for a while or until resumed. */
  public void plannedStop(Optional<Duration> duration, Optional<String> reason) {
    long end = duration.map(x -> now + Math.max(1L, x.toMillis())).orElse(Long.MAX_VALUE);
    holds.add(new Hold(MachineState.PLANNED_STOP, end, reason.orElse(PLANNED_STOP_REASON), 0));
    publishShown();
  }

  /** Ends every fault, micro-stop and planned stop now. */
  public void resume() {
    holds.clear();
    publishShown();
  }

  /**
   * Changes the effectiveness factor. The part in progress finishes at the new rate (its remaining
   * time is rescaled), so a trainer sees the effect at once.
   */
  public void setSpeed(double newSpeed) {
    if (!(newSpeed > 0)) {
      throw new IllegalArgumentException("speed must be greater than zero");
    }
    if (activity == MachineState.PRODUCING) {
      long remaining = Math.max(1L, Math.round(activityRemaining * speed / newSpeed));
      activityTotal = activityTotal - activityRemaining + remaining;
      activityRemaining = remaining;
    }
    speed = newSpeed;
  }

  public void setScrapRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("scrap rate must be between 0 and 1");
    }
    scrapRate = rate;
  }

  // ---- what the outside sees ----

  public long now() {
    return now;
  }

  public MachineType type() {
    return type;
  }

  public MachineParams params() {
    return params;
  }

  public MachineState state() {
    return shownState;
  }

  public String reason() {
    return shownReason;
  }

  public long alarmCode() {
    return shownAlarm;
  }

  /** Progress through the current activity, 0..1. */
  public double activityProgress() {
    return activityTotal <= 0 ? 0 : 1.0 - (double) activityRemaining / activityTotal;
  }

  /** The base activity under any hold: PRODUCING, SETUP or IDLE. */
  public MachineState activity() {
    return activity;
  }

  public double speed() {
    return speed;
  }

  public double scrapRate() {
    return scrapRate;
  }

  /** Good parts, as the machine's counter shows it: reset per job if configured, wrapped. */
  public long goodCount() {
    return goodCount;
  }

  public long rejectCount() {
    return rejectCount;
  }

  public long totalGood() {
    return totalGood;
  }

  public long totalReject() {
    return totalReject;
  }

  public long jobNumber() {
    return jobNumber;
  }

  public long jobGood() {
    return jobGood;
  }

  public long jobReject() {
    return jobReject;
  }

  public long jobCycles() {
    return jobCycles;
  }

  public long machineCycles() {
    return machineCycles;
  }

  /** Duration of the last finished cycle, ms; 0 before the first part. */
  public long lastCycleMs() {
    return lastCycleMs;
  }
}
