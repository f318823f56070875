import type { DependencyContainer } from "tsyringe";
import { CreateBusiness } from "../../src/application/accounts/create-business.ts";
import { SignIn } from "../../src/application/accounts/sign-in.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { GetSale } from "../../src/application/sales/get-sale.ts";
import { PORTS, SETTINGS, useCase } from "../../src/main/tokens.ts";

// Compile-time tests: nothing here runs. `npm run typecheck` (tsc, part of `npm test`) checks this file, and fails
// on any `@ts-expect-error` below that no longer finds an error: each line is wiring the compiler must refuse.

/** Use cases wired with a missing, an extra, or a mistyped dependency. */
export function wiringTheCompilerRefuses(c: DependencyContainer): void {
  // @ts-expect-error SignIn also needs its password hasher and token issuer.
  useCase(c, SignIn, { uow: PORTS.unitOfWork });
  // @ts-expect-error GetSale takes no clock.
  useCase(c, GetSale, { uow: PORTS.unitOfWork, clock: PORTS.clock });
  useCase(c, CreateBusiness, {
    uow: PORTS.unitOfWork,
    ids: PORTS.ids,
    clock: PORTS.clock,
    // @ts-expect-error maxBusinessesPerUser is a number, not the callback URL.
    maxBusinessesPerUser: SETTINGS.callbackUrl,
  });
  // @ts-expect-error a clock is not a unit of work.
  useCase(c, GetSale, { uow: PORTS.clock });
  // The same use cases, wired right.
  useCase(c, SignIn, { uow: PORTS.unitOfWork, hasher: PORTS.passwordHasher, tokens: PORTS.tokenIssuer });
  useCase(c, GetSale, { uow: PORTS.unitOfWork });
}

/** A use case that declares the sales repository only, and so cannot reach any other. */
export class ReadsSalesOnly {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"sales"> }) {}

  execute(userId: string, saleId: string): Promise<unknown> {
    return this.deps.uow.read(async (r) => {
      // @ts-expect-error the users repository was not declared.
      await r.users.findById(userId);
      return r.sales.findById(saleId);
    });
  }
}

/** A unit of work over fewer repositories cannot stand in for one over more. */
export function narrowerUnitOfWork(uow: UnitOfWork<"sales">): UnitOfWork<"sales" | "users"> {
  // @ts-expect-error it has no users repository to give.
  return uow;
}

/** A unit of work over every repository (the adapters') stands in for any narrower one. */
export function widerUnitOfWork(uow: UnitOfWork): UnitOfWork<"sales"> {
  return uow;
}
