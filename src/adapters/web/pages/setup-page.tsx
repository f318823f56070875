import type { FC } from "hono/jsx";
import type { ConfigWithVerification } from "../../../application/payment-configs/get-payment-config.ts";
import type { Business } from "../../../domain/business.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import { PaymentPanel } from "../components/payment-panel.tsx";
import type { FormState } from "../form-state.ts";
import { OncePerForm } from "../once-per-form.ts";
import { describePayment } from "../payment-status.ts";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";

/** The setup form's fields as the use case names them, and how the page names them. */
export const SETUP_LABELS = {
  paymentMethod: "Payment type",
  shortcode: "Till or Paybill number",
  storeNumber: "Store number",
  accountReference: "Account reference",
  accountName: "Account name",
  passkey: "Passkey",
  consumerKey: "Consumer key",
  consumerSecret: "Consumer secret",
} as const;

export const VERIFY_LABELS = { phone: "Phone number" } as const;

export type SetupPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  /** The business's active config with its latest verification, or null before the first setup. */
  readonly current: ConfigWithVerification | null;
  readonly setupForm: FormState;
  readonly verifyForm: FormState;
  /** Show the setup form open even though a config exists (the owner is changing it, or it was refused). */
  readonly editing: boolean;
};

/**
 * `/setup/payment-method`: step 1, the Till or Paybill with its passkey; step 2, a KES 1 test payment to the
 * owner's phone, with its live status. Nothing secret is ever written into the page.
 */
export const SetupPage: FC<SetupPageProps> = (props) => {
  const { session, business, current } = props;
  const query = `?business=${encodeURIComponent(business.id)}`;
  const last = current?.lastVerification ?? null;
  const lastView = last === null ? null : describePayment(last, "verification");
  return (
    <Layout
      title="Payment method"
      session={session}
      businessId={business.id}
      refreshSeconds={lastView !== null && !lastView.final ? 4 : undefined}
      section="settings"
      switcher={{ businesses: props.businesses, current: business, action: "/setup/payment-method" }}
    >
      <h1>How customers pay {business.name}</h1>
      <section class="card" id="step-1">
        <h2>Step 1 · Your Till or Paybill</h2>
        {current === null ? (
          <SetupForm {...props} />
        ) : (
          <>
            <ConfigSummary current={current} business={business} />
            <details open={props.editing}>
              <summary>Change it</summary>
              <p class="help">Saving replaces the current details, which then need a new KES 1 test.</p>
              <SetupForm {...props} />
            </details>
          </>
        )}
      </section>
      <section class="card" id="step-2">
        <h2>Step 2 · Test it with KES 1</h2>
        {current === null ? (
          <p class="muted">Save your Till or Paybill first.</p>
        ) : (
          <>
            {current.config.verified ? (
              <p class="alert ok">
                Verified: customers can pay you through this{" "}
                {current.config.method === "till" ? "Till" : "Paybill"}.{" "}
                <a href={`/dashboard${query}`}>Go to your dashboard</a>
              </p>
            ) : (
              <p>
                We send a KES 1 M-Pesa prompt to your phone through your{" "}
                {current.config.method === "till" ? "Till" : "Paybill"}. Enter your PIN: when the shilling
                arrives, your details are proven right.
              </p>
            )}
            {last === null || lastView === null ? null : (
              <PaymentPanel
                id="verification-status"
                title="Test payment"
                view={lastView}
                pollUrl={`/setup/payment-method/status${query}`}
                checkAgainHref={`/setup/payment-method${query}`}
              />
            )}
            {current.config.verified && props.verifyForm.formError === null ? (
              <details>
                <summary>Send another test payment</summary>
                <VerifyForm {...props} again />
              </details>
            ) : (
              <VerifyForm {...props} again={last !== null} />
            )}
          </>
        )}
      </section>
    </Layout>
  );
};

const ConfigSummary: FC<{ readonly current: ConfigWithVerification; readonly business: Business }> = ({
  current,
  business,
}) => {
  const { config } = current;
  const reference = config.accountReferenceFor(business.name);
  const till = config.method === "till";
  return (
    <dl class="summary">
      <div>
        <dt>Type</dt>
        <dd>{till ? "Till (Buy Goods)" : "Paybill"}</dd>
      </div>
      <div>
        <dt>{till ? "Till number" : "Paybill number"}</dt>
        <dd>{config.shortcode.value}</dd>
      </div>
      {till ? (
        <div>
          <dt>Store number</dt>
          <dd>{config.storeNumber.value}</dd>
        </div>
      ) : null}
      <div>
        <dt>Account reference</dt>
        <dd>
          {config.accountReference !== null
            ? config.accountReference.value
            : reference.ok
              ? `${reference.value.value} (from the business name)`
              : "none: add one, the business name has no letters or digits"}
        </dd>
      </div>
      <div>
        <dt>Account name</dt>
        <dd>{config.accountName}</dd>
      </div>
      <div>
        <dt>Passkey</dt>
        <dd>saved, encrypted</dd>
      </div>
      <div>
        <dt>Daraja app</dt>
        <dd>{config.ownApp === null ? "PayMe's" : "your own (secret saved, encrypted)"}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>{config.verified ? "verified" : "not verified yet"}</dd>
      </div>
    </dl>
  );
};

const SetupForm: FC<SetupPageProps> = ({ session, business, setupForm: form }) => {
  const method = form.values.paymentMethod === "paybill" ? "paybill" : "till";
  const refused = form.formError !== null || Object.keys(form.fieldErrors).length > 0;
  return (
    <>
      <FormAlert form={form} />
      <form method="post" action="/setup/payment-method">
        <CsrfField session={session} />
        <input type="hidden" name="business" value={business.id} />
        <fieldset class={form.fieldErrors.paymentMethod === undefined ? "" : "has-error"}>
          <legend class="legend">How do customers pay you?</legend>
          {form.fieldErrors.paymentMethod === undefined ? null : (
            <p class="error">{form.fieldErrors.paymentMethod}</p>
          )}
          <div class="choices">
            <label class="choice" for="method-till">
              <input
                type="radio"
                id="method-till"
                name="paymentMethod"
                value="till"
                checked={method === "till"}
              />
              <span>
                <strong>Till number</strong>
                <br />
                <span class="muted">Lipa na M-Pesa → Buy Goods and Services</span>
              </span>
            </label>
            <label class="choice" for="method-paybill">
              <input
                type="radio"
                id="method-paybill"
                name="paymentMethod"
                value="paybill"
                checked={method === "paybill"}
              />
              <span>
                <strong>Paybill</strong>
                <br />
                <span class="muted">Lipa na M-Pesa → Pay Bill, with an account number</span>
              </span>
            </label>
          </div>
        </fieldset>
        <Field
          name="shortcode"
          form={form}
          inputmode="numeric"
          maxlength={7}
          label={
            <>
              <span class="till-only">Till number</span>
              <span class="paybill-only">Paybill number</span>
            </>
          }
          help={
            <>
              <span class="till-only">
                The 5 to 7 digit number customers pay to under Buy Goods, as on your till sticker.{" "}
              </span>
              <span class="paybill-only">Your 5 to 7 digit Paybill (business) number.</span>
            </>
          }
        />
        <Field
          name="storeNumber"
          label={SETUP_LABELS.storeNumber}
          form={form}
          optional
          inputmode="numeric"
          maxlength={7}
          class="till-only"
          help="Not the till number: the store (head office) number Safaricom gave when your till went live on Daraja, in the go-live email. M-Pesa checks the passkey against it. Leave it empty if you only have a till number."
        />
        <Field
          name="accountReference"
          label={SETUP_LABELS.accountReference}
          form={form}
          optional
          maxlength={12}
          help={
            <>
              At most 12 letters and digits, no spaces; customers see it on the M-Pesa prompt.{" "}
              <span class="paybill-only">
                Required for a Paybill: it is the account number customers pay to.
              </span>
              <span class="till-only">
                If you leave it empty, we use the first 12 letters and digits of “{business.name}”.
              </span>
            </>
          }
        />
        <Field
          name="accountName"
          label={SETUP_LABELS.accountName}
          form={form}
          maxlength={100}
          initial={business.name}
          help="The name registered with Safaricom for this Till or Paybill, as customers see it when they pay."
        />
        <Field
          name="passkey"
          label={SETUP_LABELS.passkey}
          form={form}
          type="password"
          autocomplete="off"
          help={
            <>
              Your Lipa na M-Pesa Online passkey. Safaricom emails it once your shortcode goes live on the
              Daraja portal (developer.safaricom.co.ke → Go Live). For sandbox tests it is on the portal under
              APIs → M-Pesa Express → Simulate. We encrypt it and never show it again
              {refused ? ", so please type it again" : ""}.
            </>
          }
        />
        <details
          open={form.fieldErrors.consumerKey !== undefined || form.fieldErrors.consumerSecret !== undefined}
        >
          <summary>My shortcode went live on my own Daraja app</summary>
          <Field
            name="consumerKey"
            label={SETUP_LABELS.consumerKey}
            form={form}
            optional
            autocomplete="off"
            help="On the Daraja portal under My Apps, your app's Consumer Key. Leave both empty to use PayMe's app."
          />
          <Field
            name="consumerSecret"
            label={SETUP_LABELS.consumerSecret}
            form={form}
            type="password"
            optional
            autocomplete="off"
            help="Beside the Consumer Key. Encrypted like the passkey, and never shown again."
          />
        </details>
        <button type="submit" data-busy="Saving…">
          Save payment method
        </button>
      </form>
    </>
  );
};

const VerifyForm: FC<SetupPageProps & { readonly again: boolean }> = ({
  session,
  business,
  verifyForm,
  again,
}) => (
  <>
    <FormAlert form={verifyForm} />
    <form method="post" action="/setup/payment-method/verify">
      <CsrfField session={session} />
      <input type="hidden" name="business" value={business.id} />
      <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
      <Field
        name="phone"
        label={VERIFY_LABELS.phone}
        form={verifyForm}
        type="tel"
        inputmode="tel"
        autocomplete="tel"
        placeholder="0712 345 678"
        initial={session.user.phone === null ? undefined : show.localPhone(session.user.phone.value)}
        help="The M-Pesa phone that gets the KES 1 prompt: yours."
      />
      <button type="submit" data-busy="Sending the prompt…">
        {again ? "Send another test payment" : "Send KES 1 test payment"}
      </button>
    </form>
  </>
);
