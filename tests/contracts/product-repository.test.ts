import { expect, it } from "vitest";
import { aProduct, unwrap } from "../support/builders.ts";
import { describeContract, seedOwner } from "./harness.ts";

describeContract("ProductRepository", ({ uow }) => {
  it("stores a product and finds it only within its business", async () => {
    const { business } = await seedOwner(uow());
    const other = await seedOwner(uow());
    const product = aProduct(business.id, { sku: "SUG-1KG" });
    expect((await uow().run((r) => r.products.add(product))).ok).toBe(true);
    expect((await uow().run((r) => r.products.findInBusiness(product.id, business.id)))?.snapshot()).toEqual(
      product.snapshot(),
    );
    expect(await uow().run((r) => r.products.findInBusiness(product.id, other.business.id))).toBeNull();
  });

  it("keeps a SKU unique within a business, but not across businesses", async () => {
    const { business } = await seedOwner(uow());
    const other = await seedOwner(uow());
    await uow().run((r) => r.products.add(aProduct(business.id, { sku: "RICE-2KG" })));
    const clash = await uow().run((r) => r.products.add(aProduct(business.id, { sku: "RICE-2KG" })));
    expect(clash).toEqual({ ok: false, error: { type: "sku_taken", sku: "RICE-2KG" } });
    expect(
      (await uow().run((r) => r.products.add(aProduct(other.business.id, { sku: "RICE-2KG" })))).ok,
    ).toBe(true);
    expect((await uow().run((r) => r.products.add(aProduct(business.id)))).ok).toBe(true);
    expect((await uow().run((r) => r.products.add(aProduct(business.id)))).ok).toBe(true);
  });

  it("saves stock and reservations", async () => {
    const { business } = await seedOwner(uow());
    const product = aProduct(business.id, { stock: 5 });
    await uow().run((r) => r.products.add(product));
    await uow().run(async (r) => {
      const [locked] = await r.products.lockInBusiness([product.id], business.id);
      if (locked === undefined) {
        throw new Error("product not found");
      }
      unwrap(locked.reserve(2));
      await r.products.update(locked);
    });
    const saved = await uow().run((r) => r.products.findInBusiness(product.id, business.id));
    expect([saved?.stock, saved?.reserved]).toEqual([3, 2]);
  });

  it("saves several products' stock and reservations in one call, each its own", async () => {
    const { business } = await seedOwner(uow());
    const products = [3, 5, 7].map((stock) => aProduct(business.id, { stock }));
    const untouched = aProduct(business.id, { stock: 9 });
    await uow().run(async (r) => {
      for (const product of [...products, untouched]) {
        await r.products.add(product);
      }
    });
    await uow().run(async (r) => {
      const locked = await r.products.lockInBusiness(
        products.map((p) => p.id),
        business.id,
      );
      for (const [index, product] of locked.entries()) {
        unwrap(product.reserve(index + 1));
      }
      await r.products.updateAll(locked);
    });
    const saved = await uow().read((r) =>
      Promise.all([...products, untouched].map((p) => r.products.findInBusiness(p.id, business.id))),
    );
    const byId = new Map(saved.map((p) => [p?.id, p]));
    const sorted = [...products].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sorted.map((p) => [byId.get(p.id)?.stock, byId.get(p.id)?.reserved])).toEqual(
      sorted.map((p, index) => [p.stock - (index + 1), index + 1]),
    );
    expect([byId.get(untouched.id)?.stock, byId.get(untouched.id)?.reserved]).toEqual([9, 0]);
  });

  it("locks only the business's own products, once each, in id order", async () => {
    const { business } = await seedOwner(uow());
    const other = await seedOwner(uow());
    const a = aProduct(business.id);
    const b = aProduct(business.id);
    const foreign = aProduct(other.business.id);
    await uow().run(async (r) => {
      await r.products.add(a);
      await r.products.add(b);
      await r.products.add(foreign);
    });
    const locked = await uow().run((r) =>
      r.products.lockInBusiness(
        [b.id, foreign.id, a.id, b.id, "00000000-0000-7000-8000-000000000000"],
        business.id,
      ),
    );
    expect(locked.map((p) => p.id)).toEqual([a.id, b.id].sort());
  });

  it("locks products of several businesses at once, each only for its own business, once each, in id order", async () => {
    const one = await seedOwner(uow());
    const two = await seedOwner(uow());
    const a = aProduct(one.business.id);
    const b = aProduct(two.business.id);
    const c = aProduct(one.business.id);
    await uow().run(async (r) => {
      await r.products.add(a);
      await r.products.add(b);
      await r.products.add(c);
    });
    const locked = await uow().run((r) =>
      r.products.lockAll([
        { id: c.id, businessId: one.business.id },
        { id: b.id, businessId: two.business.id },
        // Named for the wrong business: left out.
        { id: a.id, businessId: two.business.id },
        { id: c.id, businessId: one.business.id },
        { id: "00000000-0000-7000-8000-000000000000", businessId: one.business.id },
      ]),
    );
    expect(locked.map((p) => p.id)).toEqual([b.id, c.id].sort());
  });

  it("pages a business's products newest first", async () => {
    const { business } = await seedOwner(uow());
    const products = [1, 2, 3, 4, 5].map((n) => aProduct(business.id, { name: `Item ${n}` }));
    await uow().run(async (r) => {
      for (const product of products) {
        await r.products.add(product);
      }
    });
    const first = await uow().run((r) =>
      r.products.listByBusiness(business.id, {}, { limit: 2, cursor: null }),
    );
    expect(first.items.map((p) => p.name)).toEqual(["Item 5", "Item 4"]);
    const second = await uow().run((r) =>
      r.products.listByBusiness(business.id, {}, { limit: 2, cursor: first.nextCursor }),
    );
    expect(second.items.map((p) => p.name)).toEqual(["Item 3", "Item 2"]);
    const last = await uow().run((r) =>
      r.products.listByBusiness(business.id, {}, { limit: 2, cursor: second.nextCursor }),
    );
    expect(last.items.map((p) => p.name)).toEqual(["Item 1"]);
    expect(last.nextCursor).toBeNull();
  });
});
