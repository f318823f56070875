import "reflect-metadata";
import { type DependencyContainer, container as rootContainer } from "tsyringe";
import { SystemClock } from "../adapters/clock/system-clock.ts";
import { createApp } from "../adapters/http/app.ts";
import { UuidV7IdGenerator } from "../adapters/ids/uuid-v7-id-generator.ts";
import type { Logger } from "../adapters/logging/logger.ts";
import type { Database } from "../adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { CreateBusiness } from "../application/create-business.ts";
import { ListBusinesses } from "../application/list-businesses.ts";
import type { Config } from "./config.ts";
import { provide, TOKENS } from "./tokens.ts";

/** What the composition root needs from outside: things that are opened or chosen before wiring. */
export type Infrastructure = {
  readonly logger: Logger;
  readonly database: Database;
};

/**
 * The composition root: every port gets its adapter here, by factory registration (no decorators, no
 * reflection metadata). Each call builds an independent child container, so tests can build several.
 */
export function buildContainer(config: Config, infrastructure: Infrastructure): DependencyContainer {
  const container = rootContainer.createChildContainer();
  container.register(TOKENS.config, { useValue: config });
  container.register(TOKENS.logger, { useValue: infrastructure.logger });
  container.register(TOKENS.database, { useValue: infrastructure.database });

  provide(container, TOKENS.clock, () => new SystemClock());
  provide(container, TOKENS.ids, () => new UuidV7IdGenerator());
  provide(container, TOKENS.unitOfWork, (get) => new MikroOrmUnitOfWork(get(TOKENS.database).orm));

  provide(
    container,
    TOKENS.createBusiness,
    (get) =>
      new CreateBusiness({ uow: get(TOKENS.unitOfWork), ids: get(TOKENS.ids), clock: get(TOKENS.clock) }),
  );
  provide(container, TOKENS.listBusinesses, (get) => new ListBusinesses({ uow: get(TOKENS.unitOfWork) }));

  provide(container, TOKENS.app, (get) => {
    const database = get(TOKENS.database);
    return createApp({ logger: get(TOKENS.logger), isReady: () => database.isReachable() });
  });
  return container;
}
