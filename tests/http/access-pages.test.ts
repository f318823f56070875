import { describe, expect, it } from "vitest";
import { jsonRequest, testApp } from "../support/test-app.ts";
import { WebClient } from "../support/web-client.ts";

/** The Team and API keys pages: an owner's only; the server refuses them to anyone else, whatever they post. */
describe("the Team and API keys pages", () => {
  const { app } = testApp();

  const ownerAndManager = async () => {
    const owner = new WebClient(app);
    const { csrf, businessId } = await owner.signUp();
    const manager = new WebClient(app);
    const managerAccount = await manager.signUp();
    const added = await owner.post("/team", {
      _csrf: csrf,
      business: businessId,
      email: managerAccount.email,
      role: "manager",
    });
    expect(added.status).toBe(303);
    return { owner, csrf, businessId, manager, managerCsrf: managerAccount.csrf };
  };

  it("shows an owner the new key's secret once, then lists it by its prefix only; revoking takes it away", async () => {
    const { owner, csrf, businessId } = await ownerAndManager();
    const created = await owner.post("/api-keys", {
      _csrf: csrf,
      business: businessId,
      name: "Till app",
      "scope.sales:read": "on",
      "scope.sales:write": "on",
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toContain("no-store");
    const page = await created.text();
    const secret = /value="(sk_test_[0-9A-Za-z]{43})"/.exec(page)?.[1];
    expect(secret).toBeDefined();
    // The key works on the API, within the scopes ticked.
    expect(
      (
        await app.request(`/api/businesses/${businessId}/sales`, {
          headers: { Authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await app.request(`/api/businesses/${businessId}/products`, {
          headers: { Authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(403);
    const later = await (await owner.get(`/api-keys?business=${businessId}`)).text();
    expect(later).not.toContain(secret ?? "-");
    expect(later).toContain((secret ?? "").slice(0, 12));
    const keyId = /name="apiKeyId" value="([0-9a-f-]{36})"/.exec(later)?.[1] ?? "";
    expect(
      (await owner.post("/api-keys/revoke", { _csrf: csrf, business: businessId, apiKeyId: keyId })).status,
    ).toBe(303);
    expect(
      (
        await app.request(`/api/businesses/${businessId}/sales`, {
          headers: { Authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(401);
  });

  it("changes a member's role and removes them from the Team page; a refused change shows the page again with why", async () => {
    const { owner, csrf, businessId, manager, managerCsrf } = await ownerAndManager();
    const team = await (await owner.get(`/team?business=${businessId}`)).text();
    const managerId = /data-member="([0-9a-f-]{36})" data-role="manager"/.exec(team)?.[1] ?? "";
    const ownerId = /data-member="([0-9a-f-]{36})" data-role="owner"/.exec(team)?.[1] ?? "";
    expect([managerId, ownerId].every((id) => id.length === 36)).toBe(true);

    const badRole = await owner.post("/team/role", {
      _csrf: csrf,
      business: businessId,
      userId: managerId,
      role: "emperor",
    });
    expect(badRole.status).toBe(400);
    expect(await badRole.text()).toContain('id="members"');

    const lastOwner = await owner.post("/team/remove", {
      _csrf: csrf,
      business: businessId,
      userId: ownerId,
    });
    expect(lastOwner.status).toBe(409);
    expect(await lastOwner.text()).toMatch(/owner/i);

    const demoted = await owner.post("/team/role", {
      _csrf: csrf,
      business: businessId,
      userId: managerId,
      role: "cashier",
    });
    expect([demoted.status, demoted.headers.get("location")]).toEqual([
      303,
      `/team?business=${businessId}#members`,
    ]);
    expect(await (await owner.get(`/team?business=${businessId}`)).text()).toContain(
      `data-member="${managerId}" data-role="cashier"`,
    );
    // The demoted member may not remove the owner.
    expect(
      (await manager.post("/team/remove", { _csrf: managerCsrf, business: businessId, userId: ownerId }))
        .status,
    ).toBe(403);

    const removed = await owner.post("/team/remove", {
      _csrf: csrf,
      business: businessId,
      userId: managerId,
    });
    expect(removed.status).toBe(303);
    expect(await (await owner.get(`/team?business=${businessId}`)).text()).not.toContain(managerId);
  });

  it("refuses a manager the pages and their forms with 403, and hides their links", async () => {
    const { businessId, manager, managerCsrf } = await ownerAndManager();
    expect((await manager.get(`/team?business=${businessId}`)).status).toBe(403);
    expect((await manager.get(`/api-keys?business=${businessId}`)).status).toBe(403);
    const posted = await manager.post("/api-keys", {
      _csrf: managerCsrf,
      business: businessId,
      name: "Sneaky",
      "scope.payouts:write": "on",
    });
    expect(posted.status).toBe(403);
    const invited = await manager.post("/team", {
      _csrf: managerCsrf,
      business: businessId,
      email: "x@example.com",
      role: "cashier",
    });
    expect(invited.status).toBe(403);
    const dashboard = await (await manager.get(`/dashboard?business=${businessId}`)).text();
    expect(dashboard).not.toContain('href="/team');
    expect(dashboard).not.toContain('href="/api-keys');
    expect(dashboard).not.toContain('href="/setup/payment-method');
    expect((await manager.get(`/setup/payment-method?business=${businessId}`)).status).toBe(403);
  });

  it("shows an invitation link once and lets the invited person sign up through it into the business", async () => {
    const { owner, csrf, businessId } = await ownerAndManager();
    const email = `hire-${Date.now()}@example.com`;
    const invited = await owner.post("/team", { _csrf: csrf, business: businessId, email, role: "cashier" });
    expect(invited.status).toBe(201);
    const link = /value="(http[^"]+invitation=[0-9A-Za-z]+)"/.exec(await invited.text())?.[1] ?? "";
    expect(link).not.toBe("");
    const token = new URL(link).searchParams.get("invitation") ?? "";
    expect(await (await owner.get(`/team?business=${businessId}`)).text()).not.toContain(token);
    const hire = new WebClient(app);
    const form = await (await hire.get(`/sign-up?invitation=${token}`)).text();
    expect(form).toContain(`name="invitation" value="${token}"`);
    const joined = await hire.post("/sign-up", {
      name: "New Hire",
      email,
      password: "a-long-enough-password",
      invitation: token,
    });
    expect(joined.status).toBe(303);
    expect(joined.headers.get("location")).toBe(`/dashboard?business=${businessId}`);
    const me = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email, password: "a-long-enough-password" }),
    );
    expect(((await me.json()) as { setupNeeded: boolean }).setupNeeded).toBe(false);
  });
});
