import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type { CheckoutView } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";

/**
 * The Daraja simulator in a process of its own, for the bench and the drills. It is `npm run simulator` plus an
 * IPC channel to its parent, which hands over what the simulator's HTTP inspection routes redact: the callback
 * URLs with their per-payment tokens, so that the parent can deliver callbacks itself, many at once.
 *
 * Messages in: { id, type: "checkouts", ids } → { id, checkouts } (the checkouts with these ids; unknown ones left out)
 *              { id, type: "settle", checkoutRequestId } → { id, checkout } (the simulator calls back now)
 */

export type SimulatorQuestion =
  | { readonly type: "checkouts"; readonly ids: readonly string[] }
  | { readonly type: "settle"; readonly checkoutRequestId: string };

export type SimulatorRequest = SimulatorQuestion & { readonly id: number };

export type SimulatorReply =
  | { readonly type: "listening"; readonly url: string }
  | {
      readonly id: number;
      readonly checkouts?: readonly CheckoutView[];
      readonly checkout?: CheckoutView | null;
    };

const delayMs = Number(process.env.SIMULATOR_DELAY_MS ?? "600000");
// As Daraja documents it: a new OAuth token ends the app's earlier ones, so that instances sharing one app must
// share its token (SIMULATOR_ONE_TOKEN_PER_APP=false turns it off).
const simulator = createDarajaSimulator({
  delayMs,
  oneTokenPerApp: process.env.SIMULATOR_ONE_TOKEN_PER_APP !== "false",
});
const listening = await simulator.listen(0, "127.0.0.1");
const send = (message: SimulatorReply) => process.send?.(message);

send({ type: "listening", url: listening.url });

process.on("message", (raw) => {
  const message = raw as SimulatorRequest;
  if (message.type === "checkouts") {
    const checkouts = message.ids
      .map((checkoutRequestId) => simulator.checkout(checkoutRequestId))
      .filter((view): view is CheckoutView => view !== null);
    send({ id: message.id, checkouts });
  } else if (message.type === "settle") {
    void simulator.settle(message.checkoutRequestId).then((checkout) => send({ id: message.id, checkout }));
  }
});
process.on("disconnect", () => {
  void listening.close().then(() => process.exit(0));
});
