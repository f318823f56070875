import { describe, expect, it } from "vitest";
import { type Actor, userActor } from "../../../src/application/shared/actor.ts";
import { authorize } from "../../../src/application/shared/authorize.ts";
import { PERMISSIONS, type Permission } from "../../../src/application/shared/permissions.ts";
import type { ApiKeyScope } from "../../../src/domain/api-key-scope.ts";
import type { Role } from "../../../src/domain/role.ts";

const SHOP = "01900000-0000-7000-8000-00000000000a";
const OTHER = "01900000-0000-7000-8000-00000000000b";

/** The contract's roles table, written out by hand: who may do each action. */
const CONTRACT: Record<Permission, readonly Role[]> = {
  "business:read": ["owner", "manager", "cashier"],
  "sales:read": ["owner", "manager", "cashier"],
  "sales:write": ["owner", "manager", "cashier"],
  "products:read": ["owner", "manager", "cashier"],
  "c2b:read": ["owner", "manager", "cashier"],
  "products:write": ["owner", "manager"],
  "refunds:write": ["owner", "manager"],
  "payouts:read": ["owner", "manager"],
  "transactions:read": ["owner", "manager"],
  "webhooks:write": ["owner", "manager"],
  "events:read": ["owner", "manager"],
  "payouts:write": ["owner"],
  "c2b:manage": ["owner"],
  "configs:manage": ["owner"],
  "members:manage": ["owner"],
  "api-keys:manage": ["owner"],
  "account:use": ["owner", "manager", "cashier"],
  "businesses:list": ["owner", "manager", "cashier"],
};

/** Which scope lets a key do each action; null: no key, whatever its scopes. */
const KEYS: Record<Permission, ApiKeyScope | "any" | null> = {
  "business:read": "any",
  "businesses:list": "any",
  "sales:read": "sales:read",
  "sales:write": "sales:write",
  "products:read": "products:read",
  "products:write": "products:write",
  "refunds:write": "refunds:write",
  "payouts:read": "payouts:read",
  "payouts:write": "payouts:write",
  "c2b:read": "c2b:read",
  "webhooks:write": "webhooks:write",
  "events:read": "events:read",
  "transactions:read": null,
  "c2b:manage": null,
  "configs:manage": null,
  "members:manage": null,
  "api-keys:manage": null,
  "account:use": null,
};

const key = (scopes: readonly ApiKeyScope[]): Actor => ({
  kind: "api_key",
  keyId: "key-1",
  businessId: SHOP,
  scopes,
  createdBy: "owner-1",
});

describe("authorize", () => {
  it("knows every action of the contract, and no other", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  for (const permission of Object.keys(CONTRACT) as Permission[]) {
    for (const role of ["owner", "manager", "cashier"] as const) {
      const allowed = CONTRACT[permission].includes(role);
      it(`${allowed ? "lets" : "refuses"} a ${role} ${permission}`, () => {
        const verdict = authorize(userActor("u", [{ businessId: SHOP, role }]), permission, SHOP);
        expect(verdict.ok ? "allowed" : verdict.error.type).toBe(allowed ? "allowed" : "forbidden");
      });
    }
    it(`lets an API key ${permission} only ${KEYS[permission] === null ? "never" : `with ${KEYS[permission]}`}`, () => {
      const scope = KEYS[permission];
      const withScope = authorize(key(scope === null || scope === "any" ? [] : [scope]), permission, SHOP);
      const without = authorize(key([]), permission, SHOP);
      expect(withScope.ok).toBe(scope !== null);
      expect(without.ok).toBe(scope === "any");
    });
  }

  it("answers not_found for a business the caller does not belong to, user or key, whatever the action", () => {
    const cashier = userActor("u", [{ businessId: SHOP, role: "owner" }]);
    expect(authorize(cashier, "sales:read", OTHER)).toEqual({
      ok: false,
      error: { type: "not_found", entity: "business" },
    });
    expect(authorize(key(["sales:read"]), "sales:read", OTHER)).toEqual({
      ok: false,
      error: { type: "not_found", entity: "business" },
    });
  });

  it("with no business named, asks whether the caller may do it anywhere", () => {
    const staff = userActor("u", [
      { businessId: SHOP, role: "cashier" },
      { businessId: OTHER, role: "manager" },
    ]);
    expect(authorize(staff, "products:write", null).ok).toBe(true);
    expect(authorize(staff, "payouts:write", null).ok).toBe(false);
    expect(authorize(userActor("u"), "sales:write", null).ok).toBe(false);
  });
});
