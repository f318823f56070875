import type { MoneyInEntry } from "../../application/sales/money-in.ts";

/** The export's columns, in order. */
export const CSV_COLUMNS = [
  "kind",
  "id",
  "reference",
  "createdAt",
  "status",
  "amount",
  "phone",
  "receipt",
  "items",
  "description",
  "refundedAmount",
] as const;

/** How many rows go out in one chunk of the response. */
const ROWS_PER_CHUNK = 200;

/**
 * One field, quoted (RFC 4180: quotes doubled). Text a spreadsheet would run as a formula (starting with =, +, -,
 * @, a tab or a carriage return) gets a leading apostrophe, so that a description cannot become one.
 */
export function csvField(value: string | number | null): string {
  if (value === null) {
    return '""';
  }
  const text = String(value);
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const csvLine = (fields: readonly (string | number | null)[]) => `${fields.map(csvField).join(",")}\r\n`;

/** One entry as a row of the export. */
export function csvRow(entry: MoneyInEntry): string {
  if (entry.kind === "sale") {
    const sale = entry.sale;
    return csvLine([
      "sale",
      sale.id,
      sale.reference.value,
      sale.createdAt.toISOString(),
      sale.status,
      sale.amount.value,
      sale.phone.value,
      sale.mpesaReceipt,
      sale.items.map((item) => `${item.quantity} x ${item.name} @ ${item.unitPrice.value}`).join("; "),
      sale.description,
      sale.refundedAmount,
    ]);
  }
  const payment = entry.payment;
  return csvLine([
    "c2b",
    payment.id,
    payment.accountNumber,
    payment.paidAt.toISOString(),
    "paid",
    payment.amount.value,
    payment.phone,
    payment.receipt,
    "",
    payment.payerName,
    payment.refundedAmount,
  ]);
}

/**
 * The export as a stream of UTF-8 bytes: a byte-order mark (so that Excel reads UTF-8), the header, then one
 * CRLF-ended row an entry. Entries are pulled only as fast as the client reads.
 */
export function csvStream(entries: AsyncGenerator<MoneyInEntry>, onError: (error: unknown) => void) {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = started ? "" : `\uFEFF${csvLine(CSV_COLUMNS)}`;
        started = true;
        for (let rows = 0; rows < ROWS_PER_CHUNK; rows += 1) {
          const next = await entries.next();
          if (next.done) {
            controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += csvRow(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
}
