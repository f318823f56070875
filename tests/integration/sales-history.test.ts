import { describe, expect, it } from "vitest";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";

type Json = Record<string, unknown>;
type Sale = { id: string; status: string; amount: number; reference: string; mpesaReceipt?: string } & Json;
type Product = { id: string; stock: number; reserved: number; name: string; sku: string | null } & Json;
type Totals = { count: number; paidCount: number; paidAmount: number; refundedAmount: number };

describe("sales history: filters, totals, cursor paging and the CSV export", () => {
  // The export test charges more sales than one export page holds, past the default push limits.
  const suite = payMeSuite({
    delayMs: 50,
    env: { BUSINESS_PUSHES_PER_MINUTE: "1000", PUSHES_PER_PHONE: "1000" },
  });
  const request = (path: string, init?: RequestInit) => suite.payme.app.request(path, init);

  const shop = async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Mama Mboga" });
    await verifiedConfig(suite.payme, owner.token, {
      paymentMethod: "paybill",
      shortcode: "600222",
      passkey: "pk-h",
      accountReference: "MBOGA",
      accountName: "Mama Mboga",
    });
    return owner;
  };
  const charge = async (token: string, body: Json) => {
    const response = await request("/api/sales/payment", jsonRequest("POST", body, token));
    expect(response.status).toBe(202);
    return ((await response.json()) as { sale: Sale }).sale;
  };
  const settled = (token: string, id: string) =>
    eventually(async () => {
      const { sale } = (await (await request(`/api/sales/${id}`, bearer(token))).json()) as { sale: Sale };
      return sale.status === "pending" ? undefined : sale;
    });
  const list = async (token: string, businessId: string, query: string) => {
    const response = await request(`/api/businesses/${businessId}/sales?${query}`, bearer(token));
    expect(response.status).toBe(200);
    return (await response.json()) as { sales: Sale[]; nextCursor: string | null; totals: Totals };
  };

  it("filters by status, phone, receipt, search and dates; totals cover the whole set; the cursor pages it", async () => {
    const owner = await shop();
    const b = owner.businessId;
    const paidA = await settled(
      owner.token,
      (
        await charge(owner.token, {
          businessId: b,
          phone: "0711000001",
          amount: 100,
          description: "Sukuma wiki",
        })
      ).id,
    );
    const paidB = await settled(
      owner.token,
      (await charge(owner.token, { businessId: b, phone: "0711000002", amount: 250 })).id,
    );
    const failed = await settled(
      owner.token,
      (await charge(owner.token, { businessId: b, phone: "0700000002", amount: 40 })).id,
    );
    expect([paidA.status, paidB.status, failed.status]).toEqual(["paid", "paid", "failed"]);

    const all = await list(owner.token, b, "limit=2");
    expect(all.sales.map((s) => s.id)).toEqual([failed.id, paidB.id]);
    expect(all.totals).toEqual({ count: 3, paidCount: 2, paidAmount: 350, refundedAmount: 0 });
    expect(all.sales[0]?.refundedAmount).toBe(0);
    const rest = await list(owner.token, b, `limit=2&cursor=${all.nextCursor}`);
    expect(rest.sales.map((s) => s.id)).toEqual([paidA.id]);
    expect(rest.nextCursor).toBeNull();
    expect(rest.totals.count).toBe(3);

    expect((await list(owner.token, b, "status=failed")).totals).toEqual({
      count: 1,
      paidCount: 0,
      paidAmount: 0,
      refundedAmount: 0,
    });
    expect((await list(owner.token, b, "phone=%2B254711000002")).sales.map((s) => s.id)).toEqual([paidB.id]);
    expect(
      (await list(owner.token, b, `receipt=${paidA.mpesaReceipt?.toLowerCase()}`)).sales.map((s) => s.id),
    ).toEqual([paidA.id]);
    expect((await list(owner.token, b, "q=sukuma")).sales.map((s) => s.id)).toEqual([paidA.id]);
    expect((await list(owner.token, b, `q=${paidB.reference.toLowerCase()}`)).sales.map((s) => s.id)).toEqual(
      [paidB.id],
    );
    expect((await list(owner.token, b, "q=0711000002")).sales.map((s) => s.id)).toEqual([paidB.id]);
    expect((await list(owner.token, b, "q=100%25")).sales).toEqual([]);
    const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
    expect((await list(owner.token, b, `from=${today}&to=${today}`)).totals.count).toBe(3);
    expect((await list(owner.token, b, "to=2020-01-01")).totals).toEqual({
      count: 0,
      paidCount: 0,
      paidAmount: 0,
      refundedAmount: 0,
    });
  });

  it("refuses bad filters with 400, never a 500", async () => {
    const owner = await shop();
    for (const query of [
      "status=lost",
      "from=yesterday",
      "from=2026-02-30",
      "from=2026-12-05&to=2026-12-04",
      "phone=12",
      "receipt=ab",
      `q=${"x".repeat(65)}`,
      "q=",
      "q=a%00b",
      "limit=0",
      "limit=201",
      "cursor=nope",
    ]) {
      const response = await request(
        `/api/businesses/${owner.businessId}/sales?${query}`,
        bearer(owner.token),
      );
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as Json).code, query).toBe("validation_failed");
      const exported = await request(
        `/api/businesses/${owner.businessId}/sales/export.csv?${query}`,
        bearer(owner.token),
      );
      expect([200, 400], query).toContain(exported.status);
      if (!query.startsWith("limit") && !query.startsWith("cursor")) {
        expect(exported.status, query).toBe(400);
      }
    }
  });

  it("exports the filtered set as CSV: BOM, CRLF, quoted fields, formulas defused, newest first", async () => {
    const owner = await shop();
    const b = owner.businessId;
    const soap = (
      (await (
        await request(
          `/api/businesses/${b}/products`,
          jsonRequest("POST", { name: 'Soap "Kipande"', price: 60, stock: 9 }, owner.token),
        )
      ).json()) as { product: Product }
    ).product;
    const first = await settled(
      owner.token,
      (
        await charge(owner.token, {
          businessId: b,
          phone: "0711000003",
          items: [{ productId: soap.id, quantity: 2 }],
          description: "=HYPERLINK(1)",
        })
      ).id,
    );
    const second = await settled(
      owner.token,
      (await charge(owner.token, { businessId: b, phone: "0700000001", amount: 15 })).id,
    );
    const response = await request(`/api/businesses/${b}/sales/export.csv`, bearer(owner.token));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="sales.*\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(lines[0]).toBe(
      '"kind","id","reference","createdAt","status","amount","phone","receipt","items","description","refundedAmount"',
    );
    expect(lines[1]).toContain(`"sale","${second.id}"`);
    expect(lines[1]).toContain('"cancelled","15","254700000001"');
    expect(lines[2]).toContain(`"${first.mpesaReceipt}","2 x Soap ""Kipande"" @ 60","'=HYPERLINK(1)","0"`);
    expect(lines).toHaveLength(4);

    const onlyPaid = await request(`/api/businesses/${b}/sales/export.csv?status=paid`, bearer(owner.token));
    const paidLines = (await onlyPaid.text()).split("\r\n").filter((line) => line !== "");
    expect(paidLines).toHaveLength(2);
    expect(paidLines[1]).toContain(first.id);
  });

  it("exports more sales than one page holds, each once", async () => {
    const owner = await shop();
    const ids = new Set<string>();
    for (let i = 0; i < 205; i += 1) {
      const sale = await charge(owner.token, {
        businessId: owner.businessId,
        phone: "0700000003",
        amount: 1 + i,
      });
      ids.add(sale.id);
    }
    const text = await (
      await request(`/api/businesses/${owner.businessId}/sales/export.csv`, bearer(owner.token))
    ).text();
    const rows = text
      .split("\r\n")
      .slice(1)
      .filter((line) => line !== "");
    expect(rows).toHaveLength(205);
    expect(new Set(rows.map((row) => row.split(",")[1]?.replaceAll('"', "")))).toEqual(ids);
  }, 120_000);
});

describe("products: edit, restock, archive", () => {
  const suite = payMeSuite({ delayMs: 50 });
  const request = (path: string, init?: RequestInit) => suite.payme.app.request(path, init);

  it("edits name, price and SKU; restock adds to what is left while a sale holds units; archive hides it and stops sales", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Hardware" });
    await verifiedConfig(suite.payme, owner.token, {
      paymentMethod: "till",
      shortcode: "5888111",
      passkey: "pk-r",
      accountName: "Hardware",
    });
    const b = owner.businessId;
    const create = async (body: Json) =>
      (
        (await (
          await request(`/api/businesses/${b}/products`, jsonRequest("POST", body, owner.token))
        ).json()) as { product: Product }
      ).product;
    const nails = await create({ name: "Nails", price: 5, stock: 10, sku: "NL-1" });
    await create({ name: "Glue", price: 90, stock: 3, sku: "GL-1" });
    const path = `/api/businesses/${b}/products/${nails.id}`;

    const edited = await request(
      path,
      jsonRequest("PATCH", { name: "Nails 2in", price: 6, sku: "NL-2" }, owner.token),
    );
    expect(((await edited.json()) as { product: Product }).product).toMatchObject({
      name: "Nails 2in",
      price: 6,
      sku: "NL-2",
      stock: 10,
    });
    const clash = await request(path, jsonRequest("PATCH", { sku: "GL-1" }, owner.token));
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as Json).code).toBe("sku_taken");

    // A pending sale (the customer never answers) holds 4 while 5 arrive.
    const pending = await request(
      "/api/sales/payment",
      jsonRequest(
        "POST",
        { businessId: b, phone: "0700000005", items: [{ productId: nails.id, quantity: 4 }] },
        owner.token,
      ),
    );
    expect(pending.status).toBe(202);
    const restocked = await request(`${path}/restock`, jsonRequest("POST", { quantity: 5 }, owner.token));
    expect(restocked.status).toBe(200);
    expect(((await restocked.json()) as { product: Product }).product).toMatchObject({
      stock: 11,
      reserved: 4,
    });
    for (const quantity of [0, -1, 1.5, "3", 1_000_001, null]) {
      const bad = await request(`${path}/restock`, jsonRequest("POST", { quantity }, owner.token));
      expect(bad.status, String(quantity)).toBe(400);
    }
    const tooMuch = await request(
      `${path}/restock`,
      jsonRequest("POST", { quantity: 1_000_000 }, owner.token),
    );
    expect(tooMuch.status).toBe(400);

    const search = await request(`/api/businesses/${b}/products?q=nl-2`, bearer(owner.token));
    expect(((await search.json()) as { products: Product[] }).products.map((p) => p.id)).toEqual([nails.id]);

    const archived = await request(path, { method: "DELETE", headers: bearer(owner.token).headers });
    expect(archived.status).toBe(200);
    const product = ((await archived.json()) as { product: Product }).product;
    expect(typeof product.archivedAt).toBe("string");
    const listed = async (query: string) =>
      (
        (await (await request(`/api/businesses/${b}/products?${query}`, bearer(owner.token))).json()) as {
          products: Product[];
        }
      ).products.map((p) => p.name);
    // As documented: archived products are left out unless ?archived=true, which lists them with the active ones.
    expect(await listed("")).toEqual(["Glue"]);
    expect(await listed("archived=false")).toEqual(["Glue"]);
    expect(await listed("archived=true")).toEqual(["Glue", "Nails 2in"]);
    expect(await listed("archived=true&q=nl")).toEqual(["Nails 2in"]);
    expect((await request(`/api/businesses/${b}/products?archived=maybe`, bearer(owner.token))).status).toBe(
      400,
    );
    const refused = await request(
      "/api/sales/payment",
      jsonRequest(
        "POST",
        { businessId: b, phone: "0711000009", items: [{ productId: nails.id, quantity: 1 }] },
        owner.token,
      ),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("archived");
  });
});
