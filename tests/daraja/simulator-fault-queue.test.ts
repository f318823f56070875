import { describe, expect, it } from "vitest";
import type { SimulatorFault } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { SimulatorFaults } from "../../src/adapters/daraja-simulator/simulator-faults.ts";

const refusal = { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" };

/** The queue of injected faults on its own: which request meets which fault, and for how long. */
describe("the simulator's fault queue", () => {
  it("has nothing for a request when no fault waits for its API", () => {
    const faults = new SimulatorFaults();
    faults.inject({ api: "b2c_payment", error: refusal });
    expect(faults.take("stk_push")).toBeNull();
    expect(faults.take("b2c_payment")?.error).toEqual(refusal);
    expect(faults.take("b2c_payment")).toBeNull();
  });

  it("applies a fault to as many requests as its times, then forgets it", () => {
    const faults = new SimulatorFaults();
    const stall: SimulatorFault = { api: "stk_query", delayMs: 100, times: 3 };
    faults.inject(stall);
    expect([faults.take("stk_query"), faults.take("stk_query"), faults.take("stk_query")]).toEqual([
      stall,
      stall,
      stall,
    ]);
    expect(faults.take("stk_query")).toBeNull();
  });

  it("gives an API its faults oldest first, leaving other APIs' faults in place", () => {
    const faults = new SimulatorFaults();
    const first: SimulatorFault = { api: "stk_push", error: refusal, times: 2 };
    const other: SimulatorFault = { api: "oauth", delayMs: 10 };
    const second: SimulatorFault = { api: "stk_push", callback: { deliveries: 0 } };
    faults.inject(first);
    faults.inject(other);
    faults.inject(second);
    expect(faults.take("stk_push")).toBe(first);
    expect(faults.take("stk_push")).toBe(first);
    expect(faults.take("stk_push")).toBe(second);
    expect(faults.take("stk_push")).toBeNull();
    expect(faults.take("oauth")).toBe(other);
  });

  it("forgets every waiting fault when cleared", () => {
    const faults = new SimulatorFaults();
    faults.inject({ api: "oauth", error: refusal, times: 5 });
    faults.inject({ api: "transaction_status", delayMs: 10 });
    faults.clear();
    expect(faults.take("oauth")).toBeNull();
    expect(faults.take("transaction_status")).toBeNull();
  });
});
