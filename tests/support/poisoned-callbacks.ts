import type { Database } from "../../src/adapters/persistence/database.ts";

/** The CheckoutRequestIDs whose audit record the database refuses, once `poisonAuditTrail` has run. */
export const POISON_PREFIX = "ws_CO_poison";

/**
 * Makes the database refuse to store any callback audit record whose CheckoutRequestID starts with POISON_PREFIX,
 * with an error that quotes the id: a trigger stands in for any fault that makes one callback fail every time
 * while the database is up. Works on PostgreSQL and on PGlite.
 */
export async function poisonAuditTrail(database: Database): Promise<void> {
  const connection = database.orm.em.fork().getConnection();
  await connection.execute(
    `create function poison() returns trigger language plpgsql as $$ begin if new.checkout_request_id like '${POISON_PREFIX}%' then raise exception 'poisoned callback %', new.checkout_request_id; end if; return new; end $$`,
  );
  await connection.execute(
    "create trigger poison before insert on mpesa_callbacks for each row execute function poison()",
  );
}

/** An STK callback the poisoned audit trail refuses; `marker` ends up in its id and its ResultDesc. */
export const poisonedCallback = (marker: string): string =>
  JSON.stringify({
    Body: {
      stkCallback: {
        MerchantRequestID: "29115-34620561-1",
        CheckoutRequestID: `${POISON_PREFIX}_${marker}`,
        ResultCode: 1032,
        ResultDesc: `BODY-MARKER-${marker}`,
      },
    },
  });
