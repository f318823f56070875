import { describe, expect, it } from "vitest";
import { createPayMeClient, idempotencyKey, type PayMeClient } from "../../clients/typescript/src/index.ts";
import { eventually, payMeSuite } from "../support/payme-server.ts";

const SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

/** The typed client against PayMe over real HTTP: the generated types match what the server answers. */
describe("the typed client (clients/typescript)", () => {
  const suite = payMeSuite({ delayMs: 30 });

  const signedUp = async (email: string): Promise<{ client: PayMeClient; businessId: string }> => {
    const anonymous = createPayMeClient({ baseUrl: suite.payme.baseUrl });
    const { data, error, response } = await anonymous.POST("/auth/sign-up", {
      body: { email, password: "mandazi-na-chai-2026", name: "Amina", businessName: "Amina Duka" },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    const token = data?.token ?? "";
    return {
      client: createPayMeClient({ baseUrl: suite.payme.baseUrl, credential: token }),
      businessId: data?.business.id ?? "",
    };
  };

  it("signs up, verifies a paybill, adds a product, charges and reads the paid sale", async () => {
    const { client, businessId } = await signedUp("client@example.com");
    const me = await client.GET("/auth/me");
    expect(me.data?.user.email).toBe("client@example.com");

    const setUp = await client.POST("/api/payment-config/setup", {
      body: {
        businessId,
        paymentMethod: "paybill",
        shortcode: "174379",
        passkey: SANDBOX_PASSKEY,
        accountReference: "DUKA1",
        accountName: "Amina Duka",
      },
    });
    expect(setUp.response.status).toBe(201);
    expect(setUp.data?.config.shortcode).toBe("174379");
    expect(JSON.stringify(setUp.data)).not.toContain(SANDBOX_PASSKEY);
    await client.POST("/api/payment-config/verify", { body: { businessId, phone: "0712345678" } });
    await eventually(async () => {
      const { data } = await client.GET("/api/payment-config", { params: { query: { businessId } } });
      return data?.config.verified === true ? true : undefined;
    });

    const product = await client.POST("/api/businesses/{businessId}/products", {
      params: { path: { businessId } },
      body: { name: "Unga 2kg", price: 230, stock: 50, sku: "UNGA2" },
    });
    expect(product.response.status).toBe(201);
    const productId = product.data?.product.id ?? "";

    const charged = await client.POST("/api/sales/payment", {
      params: { header: { "Idempotency-Key": idempotencyKey() } },
      body: { businessId, phone: "0712345678", items: [{ productId, quantity: 2 }] },
    });
    expect(charged.response.status).toBe(202);
    expect(charged.data?.sale.amount).toBe(460);
    const saleId = charged.data?.sale.id ?? "";
    const paid = await eventually(async () => {
      const { data } = await client.GET("/api/sales/{saleId}", { params: { path: { saleId } } });
      return data?.sale.status === "paid" ? data.sale : undefined;
    });
    expect(paid.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);

    const listed = await client.GET("/api/businesses/{businessId}/sales", {
      params: { path: { businessId } },
    });
    expect(listed.data?.sales.map((sale) => sale.id)).toContain(saleId);
    const products = await client.GET("/api/businesses/{businessId}/products", {
      params: { path: { businessId } },
    });
    expect(products.data?.products.find((candidate) => candidate.id === productId)?.stock).toBe(48);
  });

  it("answers errors as typed problems, and works with an API key as the credential", async () => {
    const { client, businessId } = await signedUp("keys@example.com");
    const refused = await client.POST("/api/sales/payment", {
      body: { businessId, phone: "0712345678", amount: 0 },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.code).toBe("validation_failed");
    expect(refused.data).toBeUndefined();

    const created = await client.POST("/api/businesses/{businessId}/api-keys", {
      params: { path: { businessId } },
      body: { name: "till", scopes: ["sales:read"] },
    });
    expect(created.response.status).toBe(201);
    const secret = created.data?.secret ?? "";
    expect(secret).toMatch(/^sk_test_/);

    const keyClient = createPayMeClient({ baseUrl: `${suite.payme.baseUrl}/`, credential: () => secret });
    const sales = await keyClient.GET("/api/businesses/{businessId}/sales", {
      params: { path: { businessId } },
    });
    expect(sales.response.status).toBe(200);
    expect(sales.data?.sales).toEqual([]);
    const charge = await keyClient.POST("/api/sales/payment", {
      body: { businessId, phone: "0712345678", amount: 10 },
    });
    expect(charge.response.status).toBe(403);
    expect(charge.error?.code).toBe("forbidden");
  });
});
