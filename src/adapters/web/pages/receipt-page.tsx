import type { FC } from "hono/jsx";
import type { PublicReceipt } from "../../../application/sales/get-public-receipt.ts";
import { Layout } from "../components/layout.tsx";
import { show } from "../show.ts";

/** 254712345678 → "0712 *** 678": enough for the customer to recognise their phone, not for a stranger to use. */
const maskedPhone = (msisdn: string) => {
  const local = show.localPhone(msisdn);
  return `${local.slice(0, 4)} *** ${local.slice(7)}`;
};

/**
 * `/r/:token`: the receipt a customer opens from a shared link. It shows the sale and who sold it, and nothing
 * else of the business; it prints on an 80 mm receipt printer (see the print styles).
 */
export const ReceiptPage: FC<{ readonly receipt: PublicReceipt; readonly url: string }> = ({
  receipt,
  url,
}) => {
  const { sale, businessName } = receipt;
  const text = `Receipt from ${businessName}: ${show.kes(sale.amount.value)}, M-Pesa ${sale.mpesaReceipt ?? ""}. ${url}`;
  return (
    <Layout title={`Receipt from ${businessName}`} bare>
      <article class="receipt" aria-labelledby="receipt-title">
        <h1 id="receipt-title">{businessName}</h1>
        <p>
          <strong>Receipt</strong> · Sale {sale.reference.value}
        </p>
        <dl class="summary">
          <div>
            <dt>Paid</dt>
            <dd>{show.time(sale.completedAt ?? sale.createdAt)}</dd>
          </div>
          <div>
            <dt>M-Pesa receipt</dt>
            <dd>{sale.mpesaReceipt ?? "—"}</dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{maskedPhone(sale.phone.value)}</dd>
          </div>
        </dl>
        {sale.items.length === 0 ? (
          <p>{sale.description ?? "Payment"}</p>
        ) : (
          <ul class="rows">
            {sale.items.map((item) => (
              <li>
                <span>
                  {item.quantity} × {item.name} @ {show.kes(item.unitPrice.value)}
                </span>
                <span>{show.kes(item.quantity * item.unitPrice.value)}</span>
              </li>
            ))}
          </ul>
        )}
        <p class="total">Total {show.kes(sale.amount.value)}</p>
        {sale.refundedAmount > 0 ? <p>Refunded {show.kes(sale.refundedAmount)}</p> : null}
        <p class="muted">Paid by M-Pesa. Thank you.</p>
        <p class="actions no-print">
          <a class="button" href={`https://wa.me/?text=${encodeURIComponent(text)}`} rel="noopener">
            Share on WhatsApp
          </a>
        </p>
      </article>
    </Layout>
  );
};
