import { describe, expect, it } from "vitest";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";
import { hiddenField, WebClient } from "../support/web-client.ts";

const PASSKEY = "passkey-that-must-never-be-shown-again-0123456789";
const CONSUMER_SECRET = "consumer-secret-that-must-never-be-shown-9876";

/** The `.field` block of a page that holds the input of that id: its label, help, error and input. */
function fieldBlock(html: string, inputId: string): string {
  const input = html.indexOf(`id="${inputId}"`);
  expect(input, `no input ${inputId}`).toBeGreaterThan(-1);
  const start = html.lastIndexOf('<div class="field', input);
  return html.slice(start, html.indexOf("</div>", input) + 6);
}

const cookieAttributes = (response: Response) =>
  (response.headers.get("set-cookie") ?? "")
    .split(";")
    .slice(1)
    .map((part) => part.trim().toLowerCase());

describe("the web pages' session cookie", () => {
  it("carries the same JWT as the API, HttpOnly and SameSite=Lax, and not Secure on localhost", async () => {
    const { app } = testApp();
    for (const origin of ["http://localhost", "http://127.0.0.1:3000", "http://payme.localhost:3000"]) {
      const browser = new WebClient(app, origin);
      const response = await browser.post("/sign-up", {
        name: "Akinyi",
        email: `akinyi-${origin.length}-${Date.now()}@example.com`,
        password: "a-long-enough-password",
      });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/setup/payment-method");
      const attributes = cookieAttributes(response);
      expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
      expect(attributes.some((a) => a.startsWith("max-age="))).toBe(true);
      expect(attributes, origin).not.toContain("secure");

      // The cookie holds the sign-in JWT itself: the API accepts it as a bearer token.
      const jwt = (browser.cookie ?? "").split("=")[1] ?? "";
      expect((await app.request("/auth/me", bearer(jwt))).status).toBe(200);
    }
  });

  it("is Secure anywhere but localhost, and over https even when a proxy says localhost", async () => {
    const { app } = testApp();
    for (const origin of [
      "https://pay.example.co.ke",
      "http://shop.example.com",
      "http://192.168.1.20:3000",
    ]) {
      const response = await new WebClient(app, origin).post("/sign-up", {
        name: "Otieno",
        email: `otieno-${origin.length}@example.com`,
        password: "a-long-enough-password",
      });
      expect(cookieAttributes(response), origin).toContain("secure");
    }
    // Plain http on a public host: the browser would drop the cookie, and the page says so.
    const warning = await (await new WebClient(app, "http://shop.example.com").get("/sign-in")).text();
    expect(warning).toContain("not secure (http)");
    expect(await (await new WebClient(app).get("/sign-in")).text()).not.toContain("not secure (http)");

    const proxied = testApp({ env: { TRUST_PROXY: "true" } });
    const behindProxy = await new WebClient(proxied.app, "http://localhost:3000").post(
      "/sign-up",
      { name: "Wafula", email: "wafula@example.com", password: "a-long-enough-password" },
      { "X-Forwarded-Proto": "https" },
    );
    expect(cookieAttributes(behindProxy)).toContain("secure");
  });

  it("keeps pages and API apart: pages want the cookie, the API wants the bearer token", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    await browser.signUp();

    const anonymous = await new WebClient(app).get("/dashboard?business=x");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(
      `/sign-in?next=${encodeURIComponent("/dashboard?business=x")}`,
    );

    const { token } = await signUpThroughApi(app);
    const withBearer = await app.request("/dashboard", bearer(token));
    expect(withBearer.status).toBe(303);

    const api = await app.request("/api/wallet", { headers: { Cookie: browser.cookie ?? "" } });
    expect(api.status).toBe(401);
    expect(api.headers.get("content-type")).toBe("application/problem+json");

    const page = await browser.get("/dashboard");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("fills the token purchase's phone with the user's own number, as it is typed", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    await browser.signUp({ phone: "+254 712 345 678" });
    const page = await (await browser.get("/dashboard")).text();
    expect(fieldBlock(page, "buy-phone")).toContain('value="0712345678"');
  });

  it("brings a user who followed setupUrl back to it after signing in", async () => {
    const { app } = testApp();
    const { email, password } = await signUpThroughApi(app);
    const browser = new WebClient(app);
    const setup = await browser.get("/setup/payment-method");
    expect(setup.headers.get("location")).toBe("/sign-in?next=%2Fsetup%2Fpayment-method");
    const signInPage = await (await browser.get("/sign-in?next=%2Fsetup%2Fpayment-method")).text();
    const signedIn = await browser.post("/sign-in", {
      email,
      password,
      next: hiddenField(signInPage, "next"),
    });
    expect(signedIn.headers.get("location")).toBe("/setup/payment-method");
    expect((await browser.get("/setup/payment-method")).status).toBe(200);

    // Only PayMe's own pages: never another site.
    const elsewhere = await new WebClient(app).post("/sign-in", {
      email,
      password,
      next: "//evil.example/x",
    });
    expect(elsewhere.headers.get("location")).toBe("/setup/payment-method");
  });

  it("forgets the cookie on sign-out", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    const { csrf } = await browser.signUp();
    const out = await browser.post("/sign-out", { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/sign-in?signed-out");
    expect(cookieAttributes(out)).toContain("max-age=0");
    expect(browser.cookie).toBeNull();
    expect((await browser.get("/dashboard")).status).toBe(303);
  });

  it("revokes the session's token on sign-out: a copy of the cookie or the JWT is refused afterwards", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    const { csrf } = await browser.signUp();
    const stolen = browser.cookie ?? "";
    const jwt = stolen.split("=")[1] ?? "";
    expect((await app.request("/auth/me", bearer(jwt))).status).toBe(200);
    expect((await browser.post("/sign-out", { _csrf: csrf })).status).toBe(303);
    expect((await app.request("/auth/me", bearer(jwt))).status).toBe(401);
    const replayed = await app.request("http://localhost/dashboard", { headers: { Cookie: stolen } });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toContain("/sign-in");
  });
});

describe("CSRF protection of the pages", () => {
  it("refuses sign-in and sign-up forms posted from another site, or with no origin at all", async () => {
    const { app } = testApp();
    const fields = { name: "Mallory", email: "mallory@example.com", password: "a-long-enough-password" };
    const crossSite = [
      { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
      { Origin: "https://evil.example", "Sec-Fetch-Site": "same-site" },
      { Origin: "https://evil.example", "Sec-Fetch-Site": "" },
      { Origin: "null", "Sec-Fetch-Site": "" },
    ];
    for (const headers of crossSite) {
      const response = await app.request("http://localhost/sign-up", {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.text()).toContain("did not come from a PayMe page");
    }
    // No Origin and no Sec-Fetch-Site: a browser always sends one of them with a form post.
    const bare = await app.request("http://localhost/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: "mallory@example.com", password: "a-long-enough-password" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(bare.status).toBe(403);
    // Origin alone (an older browser) is enough when it names this host.
    const older = await app.request("http://localhost/sign-up", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
    });
    expect(older.status).toBe(303);
    // None of the refused posts created the account: this one did.
    expect((await app.request("/auth/sign-in", jsonRequest("POST", fields))).status).toBe(200);
  });

  it("refuses a signed-in form without this session's token, and one from another site", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    const { csrf, businessId } = await browser.signUp();
    const other = new WebClient(app);
    const { csrf: othersToken } = await other.signUp();
    const product = { business: businessId, name: "Unga 2kg", price: "210", stock: "4" };

    for (const token of [undefined, "", "forged", othersToken, `${csrf}x`]) {
      const response = await browser.post(
        "/dashboard/products",
        token === undefined ? product : { ...product, _csrf: token },
      );
      expect(response.status, String(token)).toBe(403);
      expect(await response.text()).toContain("Form expired");
    }
    const crossSite = await browser.post(
      "/dashboard/products",
      { ...product, _csrf: csrf },
      { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect(await (await browser.get("/dashboard")).text()).not.toContain("Unga 2kg");

    const accepted = await browser.post("/dashboard/products", { ...product, _csrf: csrf });
    expect(accepted.status).toBe(303);
    expect(await (await browser.get("/dashboard")).text()).toContain("Unga 2kg");
  });

  it("answers the pages' status endpoints only with the session's token in X-CSRF-Token", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    const { csrf, businessId } = await browser.signUp();
    const path = `/setup/payment-method/status?business=${businessId}`;

    const signedOut = await new WebClient(app).get(path, { "X-CSRF-Token": csrf });
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get("content-type")).toBe("application/problem+json");
    const withoutToken = await browser.get(path);
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.json()).toMatchObject({ status: 403, code: "forbidden" });
    expect((await browser.get(path, { "X-CSRF-Token": "forged" })).status).toBe(403);
    expect((await browser.get(path, { "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site" })).status).toBe(
      403,
    );
    // The token is right: the answer is that there is no test payment yet.
    const allowed = await browser.get(path, { "X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin" });
    expect(allowed.status).toBe(404);
    expect(allowed.headers.get("content-type")).toBe("application/problem+json");
    expect(await allowed.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("validation errors on the pages", () => {
  it("answers a multipart form that does not parse like an empty form, with the page, not a 500", async () => {
    const { app } = testApp();
    const response = await app.request("http://localhost/sign-in", {
      method: "POST",
      headers: {
        "Content-Type": "multipart/form-data; boundary=fuzz",
        Origin: "http://localhost",
        "Sec-Fetch-Site": "same-origin",
      },
      body: "this is not multipart at all",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("writes each broken sign-up field's rule beside it, in plain words, and never fills in the password", async () => {
    const { app } = testApp();
    const response = await new WebClient(app).post("/sign-up", {
      name: "",
      email: "njeri.at.example.com",
      password: "short",
      phone: "12345",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    const email = fieldBlock(html, "field-email");
    expect(email).toContain('<p class="error" id="field-email-error">Email must be an email address');
    expect(email).toMatch(/aria-describedby="[^"]*field-email-error"/);
    expect(email).toContain('value="njeri.at.example.com"');
    expect(fieldBlock(html, "field-password")).toContain("Password must be 8 to 256 characters.");
    expect(fieldBlock(html, "field-name")).toContain("Your name must not be empty.");
    expect(fieldBlock(html, "field-phone")).toContain("Phone number must be a Kenyan mobile number");
    expect(html).not.toContain('value="short"');
  });

  it("refuses a common password, or one holding the email's local part, beside the password field", async () => {
    const { app } = testApp();
    for (const [email, password, words] of [
      ["baraka@example.com", "password123", "too common"],
      ["baraka@example.com", "baraka-sells-shoes", "part of your email"],
    ] as const) {
      const response = await new WebClient(app).post("/sign-up", { name: "Baraka", email, password });
      expect(response.status, password).toBe(400);
      const html = await response.text();
      expect(fieldBlock(html, "field-password"), password).toContain(words);
      expect(html).not.toContain(password);
    }
  });

  it("says a taken email beside the email field", async () => {
    const { app } = testApp();
    const { email } = await signUpThroughApi(app);
    const response = await new WebClient(app).post("/sign-up", {
      name: "Twin",
      email,
      password: "a-long-enough-password",
    });
    expect(response.status).toBe(409);
    expect(fieldBlock(await response.text(), "field-email")).toContain(
      "An account with this email already exists.",
    );
  });

  it("explains a wrong till number and a too-long account reference, and never shows the secrets again", async () => {
    const { app } = testApp();
    const browser = new WebClient(app);
    const { csrf, businessId } = await browser.signUp();
    const response = await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "till",
      shortcode: "12",
      storeNumber: "",
      accountReference: "MAMA-MBOGA-SHOP",
      accountName: "Mama Mboga",
      passkey: PASSKEY,
      consumerKey: "my-consumer-key",
      consumerSecret: CONSUMER_SECRET,
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldBlock(html, "field-shortcode")).toContain("Till number must be 5 to 7 digits.");
    expect(fieldBlock(html, "field-accountReference")).toContain(
      "Account reference must be 1 to 12 letters and digits.",
    );
    expect(fieldBlock(html, "field-accountName")).toContain('value="Mama Mboga"');
    expect(fieldBlock(html, "field-passkey")).toContain("please type it again");
    expect(html).not.toContain(PASSKEY);
    expect(html).not.toContain(CONSUMER_SECRET);

    const paybill = await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "paybill",
      shortcode: "400200",
      accountName: "Mama Mboga",
      passkey: PASSKEY,
    });
    expect(fieldBlock(await paybill.text(), "field-accountReference")).toContain(
      "Account reference is required for a paybill.",
    );

    const saved = await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "till",
      shortcode: "5123456",
      storeNumber: "174379",
      accountName: "Mama Mboga",
      passkey: PASSKEY,
      consumerKey: "my-consumer-key",
      consumerSecret: CONSUMER_SECRET,
    });
    expect(saved.status).toBe(303);
    for (const path of ["/setup/payment-method", "/dashboard"]) {
      const page = await (await browser.get(path)).text();
      expect(page).not.toContain(PASSKEY);
      expect(page).not.toContain(CONSUMER_SECRET);
      expect(page).not.toContain((browser.cookie ?? "").split("=")[1]);
    }
    const summary = await (await browser.get("/setup/payment-method")).text();
    expect(summary).toContain("5123456");
    expect(summary).toContain("saved, encrypted");
  });

  it("explains a fractional price, and a quantity over the stock beside that product", async () => {
    const { app } = testApp({ env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true" } });
    const browser = new WebClient(app);
    const { csrf, businessId } = await browser.signUp();
    const price = await browser.post("/dashboard/products", {
      _csrf: csrf,
      business: businessId,
      name: "Maziwa 500ml",
      price: "62.5",
      stock: "",
    });
    expect(price.status).toBe(400);
    const priceHtml = await price.text();
    expect(fieldBlock(priceHtml, "product-price")).toContain(
      "Price must be whole shillings: M-Pesa has no cents.",
    );
    expect(fieldBlock(priceHtml, "product-stock")).toContain("Stock must be a whole number");

    await browser.post("/dashboard/products", {
      _csrf: csrf,
      business: businessId,
      name: "Maziwa 500ml",
      price: "62",
      stock: "2",
    });
    await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "till",
      shortcode: "5123456",
      accountName: "Duka",
      passkey: PASSKEY,
    });
    const dashboard = await (await browser.get("/dashboard")).text();
    const quantity = /name="(qty\.[0-9a-f-]{36})"/.exec(dashboard)?.[1] ?? "";
    const charge = await browser.post("/dashboard/charge", {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(dashboard, "formKey"),
      phone: "0712345678",
      [quantity]: "3",
    });
    expect(charge.status).toBe(409);
    const html = await charge.text();
    expect(html).toContain("Only 2 of Maziwa 500ml left; 3 asked. Nothing was reserved.");
    expect(html).toMatch(/id="charge-qty\.[0-9a-f-]{36}-error">[^<]*<br\/>Only 2 left\./);
    expect(html).toContain('value="3"');

    const phone = await browser.post("/dashboard/charge", {
      _csrf: csrf,
      business: businessId,
      phone: "07123",
      [quantity]: "1",
    });
    expect(phone.status).toBe(400);
    expect(fieldBlock(await phone.text(), "charge-phone")).toContain(
      "Customer&#39;s phone must be a Kenyan mobile number",
    );
  });
});
