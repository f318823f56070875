import { hmac } from "@oslojs/crypto/hmac";
import { SHA512 } from "@oslojs/crypto/sha2";
import { createJWTSignatureMessage, encodeJWT } from "@oslojs/jwt";
import { describe, expect, it } from "vitest";
import { Hs256TokenIssuer } from "../../src/adapters/crypto/hs256-token-issuer.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { Password } from "../../src/domain/password.ts";
import { User } from "../../src/domain/user.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { aUser, unwrap } from "../support/builders.ts";
import {
  bearer,
  jsonRequest,
  signUpThroughApi,
  TEST_JWT_SECRET,
  type TestApp,
  testApp,
} from "../support/test-app.ts";

type Json = Record<string, unknown>;
const json = async (response: Response) => (await response.json()) as Json;

describe("sign-up, sign-in and me", () => {
  it("signs a person up with their first business, signs them in, and tells who they are", async () => {
    const { app } = testApp();
    const signUp = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", {
        email: "Achieng.Otieno@Example.com",
        password: "correct horse battery",
        name: "Achieng Otieno",
        phone: "0712 345 678",
        businessName: "Achieng's Salon",
      }),
    );
    expect(signUp.status).toBe(201);
    const created = await json(signUp);
    expect(created).toMatchObject({
      user: { email: "achieng.otieno@example.com", name: "Achieng Otieno", phone: "254712345678" },
      business: { name: "Achieng's Salon" },
      setupNeeded: true,
      setupUrl: "/setup/payment-method",
    });
    expect(typeof created.token).toBe("string");

    const signIn = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: "ACHIENG.OTIENO@example.com", password: "correct horse battery" }),
    );
    expect(signIn.status).toBe(200);
    const signedIn = await json(signIn);
    expect(signedIn).toMatchObject({ setupNeeded: true, setupUrl: "/setup/payment-method" });
    expect((signedIn.user as Json).id).toBe((created.user as Json).id);

    const me = await app.request("/auth/me", bearer(signedIn.token as string));
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({
      user: { id: (created.user as Json).id },
      businesses: [{ id: (created.business as Json).id, name: "Achieng's Salon" }],
    });
  });

  it("names the first business after the user when no business name is given", async () => {
    const { app } = testApp();
    const response = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "baraka@example.com", password: "duka-la-mama-2026", name: "Baraka" }),
    );
    expect((await json(response)).business).toMatchObject({ name: "Baraka" });
  });

  it("answers every broken field with 400 validation_failed, naming each", async () => {
    const { app } = testApp();
    const response = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "x".repeat(300), password: "short", name: "" }),
    );
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.code).toBe("validation_failed");
    expect((body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      "email",
      "name",
      "password",
    ]);

    const missing = await app.request("/auth/sign-up", jsonRequest("POST", {}));
    expect((await json(missing)).errors).toEqual(
      expect.arrayContaining([
        { path: "email", message: expect.any(String) },
        { path: "password", message: expect.any(String) },
        { path: "name", message: expect.any(String) },
      ]),
    );
    const badPhone = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", {
        email: "p@example.com",
        password: "duka-la-mama-2026",
        name: "P",
        phone: "+255712345678",
      }),
    );
    expect(badPhone.status).toBe(400);
    expect((await json(badPhone)).errors).toEqual([
      { path: "phone", message: expect.stringContaining("Kenyan") },
    ]);
  });

  it("refuses a NUL character in a text field with 400 validation_failed naming it", async () => {
    const { app } = testApp();
    const response = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "nul@example.com", password: "a-long-password", name: "Nul\u0000Byte" }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "name", message: "must not contain a NUL character" }],
    });
  });

  it("answers broken JSON and a wrong content type with 400 malformed_request, and a huge body with 413", async () => {
    const { app } = testApp();
    const broken = await app.request("/auth/sign-in", {
      method: "POST",
      body: '{"email": "a@b.co",',
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect((await json(broken)).code).toBe("malformed_request");
    const form = await app.request("/auth/sign-in", {
      method: "POST",
      body: "email=a@b.co&password=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await json(form)).code).toBe("malformed_request");
    const huge = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "a@b.co", password: "x".repeat(70_000), name: "A" }),
    );
    expect(huge.status).toBe(413);
    expect((await json(huge)).code).toBe("payload_too_large");
  });

  it("refuses a second account for an email, whatever its case, with 409 email_taken", async () => {
    const { app } = testApp();
    const first = await signUpThroughApi(app);
    const again = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", {
        email: first.email.toUpperCase(),
        password: "another-password",
        name: "Imposter",
      }),
    );
    expect(again.status).toBe(409);
    expect((await json(again)).code).toBe("email_taken");
  });

  it("gives the same 401 invalid_credentials for a wrong password and an unknown email", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app);
    const wrongPassword = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: person.email, password: "not-the-password" }),
    );
    const unknownEmail = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: "nobody-here@example.com", password: "not-the-password" }),
    );
    expect([wrongPassword.status, unknownEmail.status]).toEqual([401, 401]);
    const [a, b] = [await json(wrongPassword), await json(unknownEmail)];
    expect(a).toEqual(b);
    expect(a.code).toBe("invalid_credentials");
  });
});

describe("bearer tokens", () => {
  const forge = (header: Json, payload: Json, sign: (message: Uint8Array) => Uint8Array) => {
    const h = JSON.stringify(header);
    const p = JSON.stringify(payload);
    return encodeJWT(h, p, sign(createJWTSignatureMessage(h, p)));
  };

  it("refuses a missing, malformed, forged, unsigned, foreign-algorithm or expired token with 401 unauthorized", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const [header, payload] = person.token.split(".");
    const pastClock = new ManualClock(new Date(Date.now() - 3 * 86_400_000));
    const expired = (await new Hs256TokenIssuer(TEST_JWT_SECRET, 60, pastClock).issue(person.userId)).token;
    const otherKey = "another-secret-that-is-also-32-bytes-long!";
    const foreign = (
      await new Hs256TokenIssuer(otherKey, 3600, new ManualClock(new Date())).issue(person.userId)
    ).token;
    const cases: Record<string, RequestInit> = {
      "no header": {},
      "not bearer": { headers: { Authorization: `Basic ${btoa("a:b")}` } },
      "bearer without token": { headers: { Authorization: "Bearer" } },
      "garbage token": bearer("not.a.jwt"),
      "malformed header": bearer(`${btoa("{not json")}.${payload}.sig`),
      "forged signature": bearer(`${header}.${payload}.${"A".repeat(43)}`),
      "alg none": bearer(
        `${forge({ alg: "none", typ: "JWT" }, { sub: person.userId, exp }, () => new Uint8Array())}`,
      ),
      "alg HS512 with our key": bearer(
        forge({ alg: "HS512", typ: "JWT" }, { sub: person.userId, exp }, (m) => hmac(SHA512, key, m)),
      ),
      "signed with another key": bearer(foreign),
      expired: bearer(expired),
    };
    for (const [name, init] of Object.entries(cases)) {
      const response = await app.request("/auth/me", init);
      expect(response.status, name).toBe(401);
      expect((await json(response)).code, name).toBe("unauthorized");
    }
    expect((await app.request("/auth/me", bearer(person.token))).status).toBe(200);
  });

  it.each([
    ["an unknown user", "01936f4e-0000-7000-8000-000000000000"],
    ["a subject that is no id", "' OR 1=1 --"],
  ])("refuses a token with our signature for %s", async (_, subject) => {
    const built = testApp();
    const issuer = resolve(built.container, PORTS.tokenIssuer);
    const { token } = await issuer.issue(subject);
    const response = await built.app.request("/api/businesses", bearer(token));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("abuse and secrecy", () => {
  it("limits attempts per client address", async () => {
    const { app } = testApp({ env: { AUTH_RATE_LIMIT_PER_ADDRESS: "2", TRUST_PROXY: "true" } });
    const from = (address: string, email: string) =>
      app.request("/auth/sign-in", {
        ...jsonRequest("POST", { email, password: "whatever-password" }),
        headers: { "Content-Type": "application/json", "X-Forwarded-For": address },
      });
    expect((await from("10.0.0.1", "a@example.com")).status).toBe(401);
    expect((await from("10.0.0.1", "b@example.com")).status).toBe(401);
    const third = await from("10.0.0.1", "c@example.com");
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).not.toBeNull();
    expect((await from("10.0.0.2", "d@example.com")).status).toBe(401);
  });

  it("never puts the password or its hash in a response, nor any of password, hash or token in a log line", async () => {
    const built = testApp();
    const { app } = built;
    const password = "super-secret-passphrase-42";
    const signUp = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "secretive@example.com", password, name: "Secretive" }),
    );
    const signUpBody = await signUp.text();
    const token = (JSON.parse(signUpBody) as { token: string }).token;
    const signIn = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: "secretive@example.com", password }),
    );
    const wrong = await app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: "secretive@example.com", password: `${password}!` }),
    );
    const me = await app.request("/auth/me", bearer(token));
    const businesses = await app.request("/api/businesses", bearer(token));

    const uow = resolve(built.container, PORTS.unitOfWork);
    const stored = await uow.run(
      async (r) =>
        (await r.users.findById((JSON.parse(signUpBody) as { user: { id: string } }).user.id))?.passwordHash,
    );
    expect(stored).toMatch(/^\$argon2id\$/);
    const hash = stored ?? "";

    const bodies = [
      signUpBody,
      await signIn.text(),
      await wrong.text(),
      await me.text(),
      await businesses.text(),
    ];
    for (const body of bodies) {
      expect(body).not.toContain(password);
      expect(body).not.toContain(hash);
      expect(body).not.toContain("argon2");
    }
    expect(bodies.slice(2).join("\n")).not.toContain(token);
    const logs = built.logLines().join("\n");
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [password, hash, token]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe("password rules", () => {
  it.each(["12345678", "password123", "P@ssw0rd!", "qwertyuiop", "iloveyou2", "Summer2024"])(
    "refuses the common password %s with 400 validation_failed",
    async (password) => {
      const { app } = testApp();
      const response = await app.request(
        "/auth/sign-up",
        jsonRequest("POST", { email: "njeri@example.com", password, name: "Njeri" }),
      );
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({
        code: "validation_failed",
        errors: [{ path: "password", message: expect.stringContaining("common") }],
      });
    },
  );

  it.each([
    ["wanjiku.kamau@example.com", "Wanjiku.Kamau-sells-shoes"],
    ["otieno+payme@example.com", "my-name-is-otieno-2026"],
  ])("refuses a password that contains the email's local part (%s)", async (email, password) => {
    const { app } = testApp();
    const response = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email, password, name: "Someone" }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "password", message: expect.stringContaining("email") }],
    });
  });

  it("still signs in an account whose password a later rule would refuse", async () => {
    const built = testApp();
    const hasher = resolve(built.container, PORTS.passwordHasher);
    const uow = resolve(built.container, PORTS.unitOfWork);
    const hash = await hasher.hash(unwrap(Password.parse("12345678")));
    const user = aUser({ email: "old-timer@example.com" });
    const restored = User.restore({ ...user.snapshot(), passwordHash: unwrap(hash) });
    await uow.run((r) => r.users.add(restored));
    const signIn = await built.app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: "old-timer@example.com", password: "12345678" }),
    );
    expect(signIn.status).toBe(200);
  });
});

describe("sign-out and password changes", () => {
  const signInAgain = async (app: TestApp["app"], email: string, password: string) => {
    const response = await app.request("/auth/sign-in", jsonRequest("POST", { email, password }));
    return { status: response.status, token: ((await json(response)).token as string | undefined) ?? "" };
  };

  it("signs a token out with 204: that token is refused from the next request, the user's others still work", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app);
    const other = await signInAgain(app, person.email, person.password);
    const signOut = await app.request("/auth/sign-out", { method: "POST", ...bearer(person.token) });
    expect(signOut.status).toBe(204);
    expect(await signOut.text()).toBe("");
    expect((await app.request("/auth/me", bearer(person.token))).status).toBe(401);
    expect((await app.request("/api/businesses", bearer(person.token))).status).toBe(401);
    expect((await app.request("/auth/sign-out", { method: "POST", ...bearer(person.token) })).status).toBe(
      401,
    );
    expect((await app.request("/auth/me", bearer(other.token))).status).toBe(200);
  });

  it("changes the password: 200 with a new token, every earlier token refused, the old password refused", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app);
    const other = await signInAgain(app, person.email, person.password);
    const changed = await app.request(
      "/auth/change-password",
      jsonRequest(
        "POST",
        { currentPassword: person.password, newPassword: "sukuma-wiki-na-ugali-2026" },
        person.token,
      ),
    );
    expect(changed.status).toBe(200);
    const body = await json(changed);
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "token"]);
    expect((await app.request("/auth/me", bearer(person.token))).status).toBe(401);
    expect((await app.request("/auth/me", bearer(other.token))).status).toBe(401);
    expect((await app.request("/auth/me", bearer(body.token as string))).status).toBe(200);
    expect((await signInAgain(app, person.email, person.password)).status).toBe(401);
    // Signed in again at once, within the same second as the change: that token counts.
    const fresh = await signInAgain(app, person.email, "sukuma-wiki-na-ugali-2026");
    expect(fresh.status).toBe(200);
    expect((await app.request("/auth/me", bearer(fresh.token))).status).toBe(200);
  });

  it("refuses a wrong current password with 401 invalid_credentials and changes nothing", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app);
    const response = await app.request(
      "/auth/change-password",
      jsonRequest(
        "POST",
        { currentPassword: "not-the-password", newPassword: "sukuma-wiki-2026" },
        person.token,
      ),
    );
    expect(response.status).toBe(401);
    expect((await json(response)).code).toBe("invalid_credentials");
    expect((await app.request("/auth/me", bearer(person.token))).status).toBe(200);
    expect((await signInAgain(app, person.email, person.password)).status).toBe(200);
  });

  it("holds the new password to the sign-up rules, naming newPassword", async () => {
    const { app } = testApp();
    const person = await signUpThroughApi(app, { email: "mwangi.duka@example.com" });
    for (const newPassword of ["short", "password1", "mwangi.duka-2026-shop"]) {
      const response = await app.request(
        "/auth/change-password",
        jsonRequest("POST", { currentPassword: person.password, newPassword }, person.token),
      );
      expect(response.status, newPassword).toBe(400);
      expect(await json(response), newPassword).toMatchObject({
        code: "validation_failed",
        errors: [{ path: "newPassword" }],
      });
    }
    const missing = await app.request("/auth/change-password", jsonRequest("POST", {}, person.token));
    expect(missing.status).toBe(400);
    expect((await app.request("/auth/me", bearer(person.token))).status).toBe(200);
  });

  it("needs a valid token for both", async () => {
    const { app } = testApp();
    expect((await app.request("/auth/sign-out", { method: "POST" })).status).toBe(401);
    const change = await app.request(
      "/auth/change-password",
      jsonRequest("POST", { currentPassword: "a-long-enough-password", newPassword: "sukuma-wiki-2026" }),
    );
    expect(change.status).toBe(401);
  });

  it("limits wrong current passwords like sign-in attempts", async () => {
    const { app } = testApp({
      env: { AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "2", AUTH_RATE_LIMIT_PER_ACCOUNT: "20" },
    });
    const person = await signUpThroughApi(app);
    const attempt = () =>
      app.request(
        "/auth/change-password",
        jsonRequest(
          "POST",
          { currentPassword: "not-the-password", newPassword: "sukuma-wiki-2026" },
          person.token,
        ),
      );
    expect([(await attempt()).status, (await attempt()).status, (await attempt()).status]).toEqual([
      401, 401, 429,
    ]);
  });
});
