import { describe, expect, it } from "vitest";
import { sealedSecret } from "../../../src/domain/sealed-secret.ts";
import { WebhookEndpoint } from "../../../src/domain/webhook-endpoint.ts";

const HOUR = 3_600_000;
const T0 = new Date("2026-03-01T09:00:00.000Z");

function selection(events: readonly string[]) {
  const parsed = WebhookEndpoint.parseEvents(events);
  if (!parsed.ok) {
    throw new Error(`not a selection: ${events.join(", ")}`);
  }
  return parsed.value;
}

const anEndpoint = (events: readonly string[] = ["*"]) =>
  WebhookEndpoint.create({
    id: "0193a000-0000-7000-8000-000000000001",
    businessId: "0193a000-0000-7000-8000-000000000002",
    url: "https://hooks.example.com/payme",
    events: selection(events),
    description: null,
    secret: sealedSecret("sealed-1"),
    createdAt: T0,
  });

describe("WebhookEndpoint", () => {
  it("takes absolute http(s) URLs without credentials, up to 2048 characters", () => {
    expect(WebhookEndpoint.parseUrl(" https://hooks.example.com/payme?x=1 ")).toEqual({
      ok: true,
      value: "https://hooks.example.com/payme?x=1",
    });
    for (const input of [
      "",
      "hooks.example.com",
      "javascript:alert(1)",
      "ftp://example.com",
      "https://user:pw@example.com/",
      "https://user@example.com/",
      "https://example.com/#frag",
      `https://example.com/${"a".repeat(2048)}`,
      null,
      7,
    ]) {
      expect(WebhookEndpoint.parseUrl(input).ok, String(input)).toBe(false);
    }
  });

  it('takes ["*"] or known event types (each once), and nothing else', () => {
    expect(WebhookEndpoint.parseEvents(["*"])).toEqual({ ok: true, value: ["*"] });
    expect(WebhookEndpoint.parseEvents(["sale.paid", "sale.paid", "c2b.payment_received"])).toEqual({
      ok: true,
      value: ["sale.paid", "c2b.payment_received"],
    });
    for (const input of [[], ["*", "sale.paid"], ["sale.exploded"], "sale.paid", null]) {
      expect(WebhookEndpoint.parseEvents(input).ok, JSON.stringify(input)).toBe(false);
    }
  });

  it("wants the types it subscribes to while enabled, and never a ping by fan-out", () => {
    const paidOnly = anEndpoint(["sale.paid"]);
    expect(paidOnly.wants("sale.paid")).toBe(true);
    expect(paidOnly.wants("payout.failed")).toBe(false);
    expect(anEndpoint().wants("c2b.payment_received")).toBe(true);
    expect(anEndpoint().wants("ping")).toBe(false);
    expect(anEndpoint().change({ enabled: false }).wants("sale.paid")).toBe(false);
  });

  it("is disabled, with its reason, once every attempt has failed for the hours given; enabling clears it", () => {
    let endpoint = anEndpoint().failed(T0, 72);
    expect(endpoint.enabled).toBe(true);
    endpoint = endpoint.failed(new Date(T0.getTime() + 71 * HOUR), 72);
    expect(endpoint.enabled).toBe(true);
    endpoint = endpoint.failed(new Date(T0.getTime() + 72 * HOUR), 72);
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toContain("72 hours");
    // Changing the URL of a disabled endpoint keeps the reason; enabling it clears reason and streak.
    expect(endpoint.change({ url: "https://b.example.com/" }).disabledReason).not.toBeNull();
    const enabled = endpoint.change({ enabled: true });
    expect([enabled.enabled, enabled.disabledReason, enabled.failingSince]).toEqual([true, null, null]);
    // A success ends the streak.
    expect(anEndpoint().failed(T0, 72).succeeded().failingSince).toBeNull();
  });

  it("signs with the secret before a rotation for 24 hours beside the new one", () => {
    const rotated = anEndpoint().rotate(sealedSecret("sealed-2"), T0);
    expect(rotated.signingSecrets(new Date(T0.getTime() + 24 * HOUR - 1))).toEqual(["sealed-2", "sealed-1"]);
    expect(rotated.signingSecrets(new Date(T0.getTime() + 24 * HOUR))).toEqual(["sealed-2"]);
  });
});
