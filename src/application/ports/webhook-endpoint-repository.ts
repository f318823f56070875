import type { SealedSecret } from "../../domain/sealed-secret.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";

/** A business's webhook endpoints. */
export interface WebhookEndpointRepository {
  add(endpoint: WebhookEndpoint): Promise<void>;
  /** Writes the endpoint back; a missing one is a bug (RecordNotFound). */
  update(endpoint: WebhookEndpoint): Promise<void>;
  /** The endpoint, locked until the transaction ends when asked. */
  findById(id: string, options?: { readonly lock?: boolean }): Promise<WebhookEndpoint | null>;
  /** A business's endpoints, oldest first. */
  listByBusiness(businessId: string): Promise<WebhookEndpoint[]>;
  /** Every endpoint, in id order, after `afterId` (for a key rotation). */
  listAfter(afterId: string | null, limit: number): Promise<WebhookEndpoint[]>;
  /** Replaces an endpoint's sealed secrets (a key rotation) and touches nothing else. */
  replaceSecrets(id: string, secret: SealedSecret, previousSecret: SealedSecret | null): Promise<void>;
  /** Deletes the endpoint and its deliveries; false when there was none. */
  remove(id: string): Promise<boolean>;
}
