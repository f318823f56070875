import type { CallbackSecrets } from "../../application/ports/callback-secrets.ts";

/**
 * Predictable callback tokens (`cb-token-1`, `cb-token-2`, …) and a readable stand-in for their hash: for tests,
 * demos and the simulation, which must replay the same run from the same seed.
 */
export class SequentialCallbackSecrets implements CallbackSecrets {
  private counter = 0;

  issue(): { token: string; hash: string } {
    this.counter += 1;
    const token = `cb-token-${this.counter}`;
    return { token, hash: this.hashOf(token) };
  }

  /** `…0001`, `…0002`: 32 hex digits. */
  issueHex(): { token: string; hash: string } {
    this.counter += 1;
    const token = this.counter.toString(16).padStart(32, "0");
    return { token, hash: this.hashOf(token) };
  }

  hashOf(token: string): string {
    return `hash(${token})`;
  }
}
