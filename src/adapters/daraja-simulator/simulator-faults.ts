import type { SimulatorApi, SimulatorFault } from "./daraja-simulator.ts";

/**
 * The faults injected for the simulator's next requests (README, "The simulator's faults"), oldest first.
 * A request to an API takes the oldest fault still waiting for that API, and uses up one of its `times`; a
 * fault whose times are used up is gone. Faults for other APIs wait their turn untouched.
 */
export class SimulatorFaults {
  private waiting: { readonly fault: SimulatorFault; left: number }[] = [];

  inject(fault: SimulatorFault): void {
    this.waiting.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault the request now reaching `api` meets, if any, counted as used once. */
  take(api: SimulatorApi): SimulatorFault | null {
    const entry = this.waiting.find((candidate) => candidate.fault.api === api);
    if (entry === undefined) {
      return null;
    }
    entry.left -= 1;
    if (entry.left <= 0) {
      this.waiting = this.waiting.filter((candidate) => candidate !== entry);
    }
    return entry.fault;
  }

  clear(): void {
    this.waiting = [];
  }
}
