/**
 * Runs a use case of the core on the in-memory adapters under Deno (`npm run deno:check`), proving that
 * src/domain and src/application load and run outside Node. Throws, and so exits non-zero, on any surprise.
 */

import { InMemoryUnitOfWork } from "../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../src/adapters/in-memory/manual-clock.ts";
import { SequentialIdGenerator } from "../src/adapters/in-memory/sequential-id-generator.ts";
import { CreateBusiness } from "../src/application/accounts/create-business.ts";
import { ListBusinesses } from "../src/application/accounts/list-businesses.ts";
import { userActor } from "../src/application/shared/actor.ts";
import { Business } from "../src/domain/business.ts";

const uow = new InMemoryUnitOfWork();
const deps = { uow, ids: new SequentialIdGenerator(), clock: new ManualClock(), maxBusinessesPerUser: 1 };
const ownerId = "00000000-0000-7000-8000-0000000000aa";

const name = Business.parseName("  Mama Mboga Stores ");
if (!name.ok || name.value !== "Mama Mboga Stores" || Business.parseName("").ok) {
  throw new Error(`Business.parseName did not read names as it should: ${JSON.stringify(name)}`);
}
const created = await new CreateBusiness(deps).execute({ ownerId, name: name.value });
if (!created.ok || created.value.name !== "Mama Mboga Stores") {
  throw new Error(`CreateBusiness did not create the business: ${JSON.stringify(created)}`);
}
const refused = await new CreateBusiness(deps).execute({ ownerId, name: "Another" });
if (refused.ok || refused.error.type !== "business_limit_reached") {
  throw new Error(`CreateBusiness went past the cap on businesses: ${JSON.stringify(refused)}`);
}
const listed = await new ListBusinesses(deps).execute(userActor(ownerId));
if (listed.length !== 1 || listed[0]?.business.id !== created.value.id || listed[0]?.role !== "owner") {
  throw new Error(`ListBusinesses returned ${JSON.stringify(listed)}`);
}
const runtime = "Deno" in globalThis ? "Deno" : "a runtime other than Deno";
console.log(
  `core smoke test passed under ${runtime}: CreateBusiness and ListBusinesses on in-memory adapters`,
);
