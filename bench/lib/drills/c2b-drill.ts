import { createHash, randomBytes, randomUUID } from "node:crypto";
import { call, expectStatus, setUpPaybill, signUp } from "../api.ts";
import { adminQuery } from "../postgres.ts";
import { deliverCallback, inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";

export type C2bDrillOptions = StageOptions & {
  readonly confirmations: number;
  /** How many times each confirmation is delivered, all at once. */
  readonly duplicates: number;
  /** One confirmation in this many pays a pending sale by its reference. */
  readonly matchedEvery: number;
  /** Confirmations whose copies are in flight together. */
  readonly concurrency?: number;
};

const SHORTCODE = "600777";

/** A receipt like M-Pesa's: 10 capitals and digits, distinct per confirmation. */
const receiptOf = (i: number) =>
  `D${createHash("sha256").update(`c2b-drill-${i}`).digest("hex").slice(0, 9).toUpperCase()}`;

/** Nairobi time as C2B confirmations write it: yyyyMMddHHmmss. */
function transTime(at: Date): string {
  const n = new Date(at.getTime() + 3 * 3600_000).toISOString();
  return n.slice(0, 19).replace(/[-T:]/g, "");
}

/**
 * C2B confirmations storm: `confirmations` payments to one paybill, each confirmation posted `duplicates` times at
 * once; one in `matchedEvery` carries the reference of a pending sale for its amount. Every receipt must be
 * recorded exactly once, every matched sale paid exactly once with its receipt, every copy answered 200 and
 * audited, and the outbox must hold one `c2b.payment_received` per receipt and one `sale.paid` per matched sale.
 */
export async function runC2bDrill(options: C2bDrillOptions): Promise<DrillReport> {
  const drill = "c2b";
  const what = `${options.confirmations} C2B confirmations × ${options.duplicates} concurrent copies, 1 in ${options.matchedEvery} paying a pending sale`;
  return onStage(options, async (stage) => {
    const { baseUrl } = stage.payme;
    const owner = await signUp(baseUrl, "c2b-drill");
    await setUpPaybill(baseUrl, owner, SHORTCODE);
    // The registration as C2B Register URL leaves it, with a token the drill knows (only its hash is stored).
    const token = randomBytes(32).toString("hex");
    await adminQuery(
      stage.databaseUrl,
      `insert into c2b_registrations (id, business_id, shortcode, token_hash, token_hint, response_type, validation, confirmation_url, validation_url, daraja_response, registered_at) values ($1, $2, $3, $4, $5, 'Completed', $6, 'drill', 'drill', '{}', now())`,
      [
        randomUUID(),
        owner.businessId,
        SHORTCODE,
        createHash("sha256").update(token).digest("hex"),
        token.slice(-4),
        JSON.stringify({ enabled: false, minAmount: null, maxAmount: null, requireKnownAccount: false }),
      ],
    );
    const matchedCount = Math.floor(options.confirmations / options.matchedEvery);
    const sales = await inPool(Array.from({ length: matchedCount }), 8, async (_, i) => {
      const { sale } = expectStatus(
        await call<{ sale: { id: string; reference: string; amount: number } }>(
          baseUrl,
          "POST",
          "/api/sales/payment",
          {
            token: owner.token,
            body: { businessId: owner.businessId, phone: "254700000005", amount: 50 + i },
          },
        ),
        202,
        "sale",
      );
      return sale;
    });
    say(drill, `${sales.length} pending sales; delivering ${options.confirmations} confirmations`);
    const now = new Date();
    const planned = Array.from({ length: options.confirmations }, (_, i) => {
      const sale = i % options.matchedEvery === 0 ? sales[i / options.matchedEvery] : undefined;
      const amount = sale?.amount ?? 10 + (i % 500);
      return {
        receipt: receiptOf(i),
        amount,
        saleId: sale?.id ?? null,
        body: JSON.stringify({
          TransactionType: "Pay Bill",
          TransID: receiptOf(i),
          TransTime: transTime(now),
          TransAmount: `${amount}.00`,
          BusinessShortCode: SHORTCODE,
          BillRefNumber: sale?.reference ?? `walk-in-${i}`,
          InvoiceNumber: "",
          OrgAccountBalance: "1000.00",
          ThirdPartyTransID: "",
          MSISDN: "2547 ***** 126",
          FirstName: "JANE",
          MiddleName: "",
          LastName: "",
        }),
      };
    });
    const url = `${baseUrl}/hooks/c2b/confirmation/${token}`;
    const started = performance.now();
    const answers = (
      await inPool(planned, options.concurrency ?? 20, (payment) =>
        Promise.all(Array.from({ length: options.duplicates }, () => deliverCallback(url, payment.body))),
      )
    ).flat();
    const accepted = answers.filter((status) => status === 200).length;
    say(
      drill,
      `${accepted}/${answers.length} deliveries answered 200 in ${Math.round(performance.now() - started)} ms`,
    );
    // Spooled copies (if any) are replayed by the server's reconciler.
    const deadline = Date.now() + 60_000;
    while (stage.spooled() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const recorded = await adminQuery<{ receipt: string; amount: number; matched_sale_id: string | null }>(
      stage.databaseUrl,
      "select receipt, amount, matched_sale_id from c2b_payments where business_id = $1",
      [owner.businessId],
    );
    const byReceipt = new Map<string, number>();
    for (const row of recorded) {
      byReceipt.set(row.receipt, (byReceipt.get(row.receipt) ?? 0) + 1);
    }
    const lostPayments = planned.filter((p) => !byReceipt.has(p.receipt)).length;
    const doubledPayments = [...byReceipt.values()].reduce((sum, n) => sum + n - 1, 0);
    const paidSales = await adminQuery<{ id: string; status: string; mpesa_receipt: string | null }>(
      stage.databaseUrl,
      "select id, status, mpesa_receipt from sales where business_id = $1",
      [owner.businessId],
    );
    const expectedReceipt = new Map(
      planned.filter((p) => p.saleId !== null).map((p) => [p.saleId, p.receipt]),
    );
    const unpaid = paidSales.filter(
      (s) => s.status !== "paid" || s.mpesa_receipt !== expectedReceipt.get(s.id),
    ).length;
    const [events] = await adminQuery<{ received: number; paid: number }>(
      stage.databaseUrl,
      "select count(*) filter (where type = 'c2b.payment_received')::int as received, count(*) filter (where type = 'sale.paid')::int as paid from outbox_events where business_id = $1",
      [owner.businessId],
    );
    const [audited] = await adminQuery<{ count: number }>(
      stage.databaseUrl,
      "select count(*)::int as count from mpesa_callbacks where kind = 'c2b_confirmation'",
    );
    const mismatched = recorded.filter((row) => {
      const plan = planned.find((p) => p.receipt === row.receipt);
      return (
        plan === undefined || plan.amount !== row.amount || (plan.saleId ?? null) !== row.matched_sale_id
      );
    }).length;
    return {
      drill,
      what,
      lost: lostPayments + unpaid,
      doubled: doubledPayments + Math.max(0, (events?.paid ?? 0) - sales.length),
      checks: [
        check(
          "all answered 200",
          accepted === answers.length,
          `${answers.length - accepted} not answered 200`,
        ),
        check(
          "every copy audited",
          audited?.count === answers.length,
          `${audited?.count} audited of ${answers.length}`,
        ),
        check("matched sales paid with their receipt", unpaid === 0, `${unpaid} of ${sales.length} not`),
        check("payments as confirmed", mismatched === 0, `${mismatched} with another amount or sale`),
        check(
          "one c2b.payment_received per receipt",
          events?.received === options.confirmations,
          `${events?.received} events for ${options.confirmations} receipts`,
        ),
        check(
          "one sale.paid per matched sale",
          events?.paid === sales.length,
          `${events?.paid} for ${sales.length}`,
        ),
      ],
    };
  });
}
