import { describe, expect, it } from "vitest";
import { safeError } from "../../src/adapters/logging/safe-error.ts";
import { capturedLogger } from "../support/log-capture.ts";

const BODY = JSON.stringify({
  Body: { stkCallback: { CheckoutRequestID: "x".repeat(3000), ResultDesc: "BODY" } },
});

/** What a failed insert looks like once knex and MikroORM have dressed PostgreSQL's error. */
function driverError(): Error {
  const error = new Error(
    `insert into "mpesa_callbacks" ("id", "body") values ('01a2', '${BODY}') - index row size 3016 exceeds btree version 4 maximum 2704 for index "mpesa_callbacks_checkout_request_id_index"\n - detail: Index row references tuple (0,1) in relation "mpesa_callbacks".\n - hint: Values larger than 1/3 of a buffer page cannot be indexed.`,
  );
  error.name = "DriverException";
  Object.assign(error, {
    code: "54000",
    table: "mpesa_callbacks",
    constraint: "mpesa_callbacks_checkout_request_id_index",
    routine: "_bt_check_third_page",
    detail: `Key (checkout_request_id)=(${"x".repeat(3000)}) already exists.`,
    where: "SQL statement",
    query: `insert into "mpesa_callbacks" values ('${BODY}')`,
    params: [BODY],
  });
  return error;
}

describe("safeError, the logger's error serializer", () => {
  it("keeps the driver's own message, its SQLSTATE and what it concerns, never the statement or the data", () => {
    const logged = safeError(driverError());
    expect(logged).toMatchObject({
      type: "DriverException",
      message:
        '(statement left out) index row size 3016 exceeds btree version 4 maximum 2704 for index "mpesa_callbacks_checkout_request_id_index"',
      code: "54000",
      table: "mpesa_callbacks",
      constraint: "mpesa_callbacks_checkout_request_id_index",
      routine: "_bt_check_third_page",
    });
    const text = JSON.stringify(logged);
    expect(text).not.toContain("insert into");
    expect(text).not.toContain("BODY");
    expect(text).not.toContain("xxxxxxxxxx");
    expect(logged.stack).toMatch(/^DriverException: \(statement left out\) index row size/);
    expect(logged.stack).toMatch(/\n\s+at /);
  });

  it("clips any other long message, and its causes", () => {
    const cause = new Error(`inner ${"y".repeat(5000)}`);
    const logged = safeError(new Error(`outer ${"z".repeat(5000)}`, { cause }));
    expect(logged.message.length).toBeLessThan(320);
    expect(logged.message).toMatch(/… \(clipped\)$/);
    expect(logged.cause?.message.length).toBeLessThan(320);
    expect(JSON.stringify(logged).length).toBeLessThan(5000);
  });

  it("describes what is thrown that is no Error", () => {
    expect(safeError("boom")).toEqual({ type: "string", message: "boom" });
    expect(safeError(null)).toEqual({ type: "null", message: "null" });
  });

  it("is what the logger writes for err, at every level", () => {
    const { logger, lines } = capturedLogger();
    logger.error({ err: driverError() }, "unhandled error");
    logger.warn(driverError());
    const written = lines().join("\n");
    expect(lines()).toHaveLength(2);
    expect(written).toContain("(statement left out) index row size");
    expect(written).not.toContain("insert into");
    expect(written).not.toContain("BODY");
    expect(written.length).toBeLessThan(6000);
  });
});

describe("the logger's secret fields", () => {
  it("are masked in a line's fields, two levels down, in arrays and among a child's bindings, never in what was logged", () => {
    const { logger, lines } = capturedLogger();
    const logged = {
      token: "t-0",
      user: { password: "p-1", name: "Wanjiru" },
      config: { daraja: { passkey: "k-2", shortcode: "174379" } },
      deeper: { a: { b: { token: "left-alone-3" } } },
      items: [{ authorization: "Bearer a-4" }],
      count: 3,
    };
    logger.child({ cookie: "c-5", requestId: "r-1" }).info(logged, "with secrets");

    const [line] = lines();
    const written = JSON.parse(line ?? "{}");
    expect(written).toMatchObject({
      cookie: "[redacted]",
      requestId: "r-1",
      token: "[redacted]",
      user: { password: "[redacted]", name: "Wanjiru" },
      config: { daraja: { passkey: "[redacted]", shortcode: "174379" } },
      items: [{ authorization: "[redacted]" }],
      count: 3,
      msg: "with secrets",
    });
    for (const secret of ["t-0", "p-1", "k-2", "a-4", "c-5"]) {
      expect(line).not.toContain(secret);
    }
    // Three levels down is past the net, as it was with pino's paths (`*.*.token`).
    expect(written.deeper.a.b.token).toBe("left-alone-3");
    // The object logged is the caller's, untouched.
    expect(logged.user.password).toBe("p-1");
    expect(logged.token).toBe("t-0");
  });
});
