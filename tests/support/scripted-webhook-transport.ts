import type {
  WebhookMessage,
  WebhookOutcome,
  WebhookTransport,
} from "../../src/application/ports/webhook-transport.ts";

/**
 * A webhook transport that sends nothing: each message is kept, and answered by `answer` (delivered unless told
 * otherwise). It can also wait for the abort signal, as an attempt cut short by a shutdown would.
 */
export class ScriptedWebhookTransport implements WebhookTransport {
  readonly sent: WebhookMessage[] = [];
  answer: (message: WebhookMessage) => WebhookOutcome | "hang" = () => ({
    type: "delivered",
    responseStatus: 200,
    durationMs: 5,
  });

  async send(message: WebhookMessage, signal: AbortSignal): Promise<WebhookOutcome> {
    this.sent.push(message);
    const outcome = this.answer(message);
    if (outcome !== "hang") {
      return outcome;
    }
    await new Promise<void>((done) => signal.addEventListener("abort", () => done(), { once: true }));
    return { type: "aborted" };
  }

  refusal(): string | null {
    return null;
  }
}
