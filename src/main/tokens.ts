import type { Hono } from "hono";
import type { Logger } from "pino";
import type { DependencyContainer } from "tsyringe";
import { instanceCachingFactory } from "tsyringe";
import type { HttpEnv } from "../adapters/http/http-env.ts";
import type { Database } from "../adapters/persistence/database.ts";
import type { CreateBusiness } from "../application/create-business.ts";
import type { ListBusinesses } from "../application/list-businesses.ts";
import type { Clock } from "../application/ports/clock.ts";
import type { IdGenerator } from "../application/ports/id-generator.ts";
import type { UnitOfWork } from "../application/ports/unit-of-work.ts";
import type { Config } from "./config.ts";

/** An injection token that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __resolvesTo?: T };

const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>;

/** Every service the composition root wires, by role. */
export const TOKENS = {
  config: token<Config>("Config"),
  logger: token<Logger>("Logger"),
  database: token<Database>("Database"),
  unitOfWork: token<UnitOfWork>("UnitOfWork"),
  clock: token<Clock>("Clock"),
  ids: token<IdGenerator>("IdGenerator"),
  createBusiness: token<CreateBusiness>("CreateBusiness"),
  listBusinesses: token<ListBusinesses>("ListBusinesses"),
  app: token<Hono<HttpEnv>>("HttpApp"),
} as const;

/** Registers a singleton built by `factory` on first use. */
export function provide<T>(
  container: DependencyContainer,
  key: Token<T>,
  factory: (resolve: <U>(dependency: Token<U>) => U) => T,
): void {
  container.register<T>(key, {
    useFactory: instanceCachingFactory<T>((c) => factory((dependency) => c.resolve(dependency))),
  });
}

export function resolve<T>(container: DependencyContainer, key: Token<T>): T {
  return container.resolve<T>(key);
}
