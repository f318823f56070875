import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";
import type { SealedSecret } from "./sealed-secret.ts";

/** Every type of event a business can subscribe to; `ping` is only ever sent by the test button. */
export const EVENT_TYPES = [
  "sale.paid",
  "sale.failed",
  "sale.cancelled",
  "sale.expired",
  "sale.needs_attention",
  "sale.refunded",
  "refund.completed",
  "refund.failed",
  "c2b.payment_received",
  "payout.completed",
  "payout.failed",
  "payment_config.verified",
  "ping",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What an endpoint receives: every type (`["*"]`) or the listed ones. */
export type EventSelection = readonly ["*"] | readonly EventType[];

export type WebhookEndpointState = {
  readonly id: string;
  readonly businessId: string;
  readonly url: string;
  readonly events: EventSelection;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly secret: SealedSecret;
  /** The secret before the last rotation, which still signs until `previousSecretExpiresAt`. */
  readonly previousSecret: SealedSecret | null;
  readonly previousSecretExpiresAt: Date | null;
  /** The first failed attempt since the last successful one: how long the endpoint has failed everything. */
  readonly failingSince: Date | null;
  readonly createdAt: Date;
};

const HOUR_MS = 3_600_000;

/** A business's receiver of signed events: where they go, which ones, and the secrets that sign them. */
export class WebhookEndpoint {
  static readonly URL_MAX = 2048;
  static readonly DESCRIPTION_MAX = 500;
  /** How long the secret before a rotation keeps signing. */
  static readonly ROTATION_OVERLAP_MS = 24 * HOUR_MS;

  private constructor(private readonly state: WebhookEndpointState) {}

  /**
   * An endpoint URL: an absolute http(s) URL of at most URL_MAX characters, with no credentials in it. Whether
   * `http` and private addresses are allowed is the server's policy, checked by the use case.
   */
  static parseUrl(input: unknown, path = "url"): Result<string, InvalidInput> {
    if (typeof input !== "string" || input.trim() === "") {
      return err(invalid(path, "is required"));
    }
    const text = input.trim();
    if (text.length > WebhookEndpoint.URL_MAX) {
      return err(invalid(path, `must be at most ${WebhookEndpoint.URL_MAX} characters`));
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return err(invalid(path, "must be an absolute http(s) URL"));
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return err(invalid(path, "must be an absolute http(s) URL"));
    }
    if (url.username !== "" || url.password !== "") {
      return err(invalid(path, "must not carry credentials (user:password@)"));
    }
    if (url.hash !== "") {
      return err(invalid(path, "must not have a #fragment"));
    }
    return ok(url.toString());
  }

  /** `["*"]`, or a non-empty list of known event types (each once). */
  static parseEvents(input: unknown, path = "events"): Result<EventSelection, InvalidInput> {
    if (!Array.isArray(input) || input.length === 0) {
      return err(invalid(path, 'must be a non-empty list of event types, or ["*"]'));
    }
    if (input.length === 1 && input[0] === "*") {
      return ok(["*"]);
    }
    const types: EventType[] = [];
    for (const [index, item] of input.entries()) {
      if (!EVENT_TYPES.includes(item as EventType)) {
        return err(invalid(`${path}.${index}`, `must be "*" alone or one of ${EVENT_TYPES.join(", ")}`));
      }
      if (!types.includes(item as EventType)) {
        types.push(item as EventType);
      }
    }
    return ok(types);
  }

  static parseDescription(input: unknown, path = "description"): Result<string | null, InvalidInput> {
    if (input === null || input === undefined || input === "") {
      return ok(null);
    }
    if (typeof input !== "string") {
      return err(invalid(path, "must be text"));
    }
    const text = input.trim();
    if (text.length > WebhookEndpoint.DESCRIPTION_MAX) {
      return err(invalid(path, `must be at most ${WebhookEndpoint.DESCRIPTION_MAX} characters`));
    }
    return ok(text === "" ? null : text);
  }

  static create(input: {
    readonly id: string;
    readonly businessId: string;
    readonly url: string;
    readonly events: EventSelection;
    readonly description: string | null;
    readonly secret: SealedSecret;
    readonly createdAt: Date;
  }): WebhookEndpoint {
    return new WebhookEndpoint({
      ...input,
      enabled: true,
      disabledReason: null,
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
    });
  }

  static restore(state: WebhookEndpointState): WebhookEndpoint {
    return new WebhookEndpoint(state);
  }

  /** True when an event of `type` goes to this endpoint (a ping only ever goes where it is sent). */
  wants(type: string): boolean {
    if (!this.state.enabled || type === "ping") {
      return false;
    }
    return this.state.events[0] === "*" || (this.state.events as readonly string[]).includes(type);
  }

  /** The secrets that sign a delivery at `now`: the current one, and the one before while it still may. */
  signingSecrets(now: Date): SealedSecret[] {
    const { previousSecret, previousSecretExpiresAt } = this.state;
    return previousSecret !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > now
      ? [this.state.secret, previousSecret]
      : [this.state.secret];
  }

  change(changes: {
    readonly url?: string;
    readonly events?: EventSelection;
    readonly description?: string | null;
    readonly enabled?: boolean;
  }): WebhookEndpoint {
    const enabled = changes.enabled ?? this.state.enabled;
    return new WebhookEndpoint({
      ...this.state,
      url: changes.url ?? this.state.url,
      events: changes.events ?? this.state.events,
      description: changes.description === undefined ? this.state.description : changes.description,
      enabled,
      // Enabling again starts afresh: the reason and the failure streak go.
      disabledReason: enabled ? null : changes.enabled === false ? null : this.state.disabledReason,
      failingSince: enabled && !this.state.enabled ? null : this.state.failingSince,
    });
  }

  /** A new secret; the one it replaces keeps signing for ROTATION_OVERLAP_MS. */
  rotate(secret: SealedSecret, now: Date): WebhookEndpoint {
    return new WebhookEndpoint({
      ...this.state,
      secret,
      previousSecret: this.state.secret,
      previousSecretExpiresAt: new Date(now.getTime() + WebhookEndpoint.ROTATION_OVERLAP_MS),
    });
  }

  /** A delivery succeeded: the failure streak ends. */
  succeeded(): WebhookEndpoint {
    return this.state.failingSince === null
      ? this
      : new WebhookEndpoint({ ...this.state, failingSince: null });
  }

  /**
   * An attempt failed at `now`. When every attempt has failed for `disableAfterHours`, the endpoint is disabled,
   * with the reason.
   */
  failed(now: Date, disableAfterHours: number): WebhookEndpoint {
    const failingSince = this.state.failingSince ?? now;
    const disable =
      this.state.enabled && now.getTime() - failingSince.getTime() >= disableAfterHours * HOUR_MS;
    if (!disable && this.state.failingSince !== null) {
      return this;
    }
    return new WebhookEndpoint({
      ...this.state,
      failingSince,
      enabled: disable ? false : this.state.enabled,
      disabledReason: disable
        ? `Every delivery failed for ${disableAfterHours} hours (since ${failingSince.toISOString()}); disabled ${now.toISOString()}.`
        : this.state.disabledReason,
    });
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get url(): string {
    return this.state.url;
  }
  get events(): EventSelection {
    return this.state.events;
  }
  get description(): string | null {
    return this.state.description;
  }
  get enabled(): boolean {
    return this.state.enabled;
  }
  get disabledReason(): string | null {
    return this.state.disabledReason;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get failingSince(): Date | null {
    return this.state.failingSince;
  }

  snapshot(): WebhookEndpointState {
    return { ...this.state };
  }
}
