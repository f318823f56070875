/** What the payment and payout config stores have in common: one active config per business. */
type ConfigStore<C> = {
  findActiveByBusiness(businessId: string): Promise<C | null>;
  update(config: C): Promise<void>;
  add(config: C): Promise<void>;
};

/**
 * Stores `config` as the business's active one, in the caller's transaction. The one active before stays, for
 * the history that went through it, but inactive (the database's partial unique index allows one active).
 */
export async function activateConfig<C extends { deactivate(): void }>(
  store: ConfigStore<C>,
  businessId: string,
  config: C,
): Promise<void> {
  const current = await store.findActiveByBusiness(businessId);
  if (current !== null) {
    current.deactivate();
    await store.update(current);
  }
  await store.add(config);
}
