import type { Business } from "../../domain/business.ts";
import type { User } from "../../domain/user.ts";

/** The JSON shapes of the contract. Nothing secret (a password hash, a passkey) is ever presented. */

export const presentUser = (user: User) => ({
  id: user.id,
  email: user.email.value,
  name: user.name,
  phone: user.phone?.value ?? null,
  createdAt: user.createdAt.toISOString(),
});

export const presentBusiness = (business: Business) => ({
  id: business.id,
  name: business.name,
  createdAt: business.createdAt.toISOString(),
});
