import { readdirSync, readFileSync } from "node:fs";
import { SystemClock } from "../../src/adapters/clock/system-clock.ts";
import { darajaCertificate } from "../../src/adapters/daraja/daraja-certificate.ts";
import { DarajaGateway, type DarajaGatewayOptions } from "../../src/adapters/daraja/daraja-gateway.ts";
import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type {
  DarajaSimulator,
  DarajaSimulatorOptions,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
  SANDBOX_PASSKEY,
  SANDBOX_SHORTCODE,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import type {
  B2cPaymentRequest,
  DarajaApp,
  GatewayFailure,
  StkPushRequest,
} from "../../src/application/ports/payment-gateway.ts";
import { Kes } from "../../src/domain/kes.ts";
import { Msisdn } from "../../src/domain/msisdn.ts";
import type { Result } from "../../src/domain/result.ts";
import { type CallbackReceiver, startCallbackReceiver } from "./callback-receiver.ts";

/** Callback delay used by the tests: long enough to be a real delay, short enough to keep them fast. */
export const TEST_DELAY_MS = 20;

export function okValue<T, E>(result: Result<T, E>): T {
  if (!result.ok) {
    throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  }
  return result.value;
}

export function failureOf<T>(result: Result<T, GatewayFailure>): GatewayFailure {
  if (result.ok) {
    throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  }
  return result.error;
}

export const phone = (digits: string): Msisdn => okValue(Msisdn.parse(digits));

/** A simulator over real HTTP, a callback receiver, and a gateway pointed at the simulator. */
export type DarajaRig = {
  readonly simulator: DarajaSimulator;
  readonly simulatorUrl: string;
  readonly receiver: CallbackReceiver;
  readonly gateway: DarajaGateway;
  /** Another gateway on the same simulator, e.g. with other timeouts or another clock. */
  gatewayWith(options: Partial<DarajaGatewayOptions>): DarajaGateway;
  close(): Promise<void>;
};

export async function startRig(
  options: { simulator?: DarajaSimulatorOptions; gateway?: Partial<DarajaGatewayOptions> } = {},
): Promise<DarajaRig> {
  const simulator = createDarajaSimulator({ delayMs: TEST_DELAY_MS, ...options.simulator });
  const listening = await simulator.listen(0);
  const receiver = await startCallbackReceiver();
  const gateways: DarajaGateway[] = [];
  const gatewayWith = (overrides: Partial<DarajaGatewayOptions>) => {
    const gateway = new DarajaGateway({
      baseUrl: listening.url,
      consumerKey: "payme-shared-key",
      consumerSecret: "payme-shared-secret",
      certificate: darajaCertificate("simulator"),
      clock: new SystemClock(),
      connectTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      ...options.gateway,
      ...overrides,
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = gatewayWith({});
  return {
    simulator,
    simulatorUrl: listening.url,
    receiver,
    gateway,
    gatewayWith,
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await listening.close();
      await receiver.close();
    },
  };
}

let sequence = 0;
const nextId = () => {
  sequence += 1;
  return `${Date.now().toString(36)}${sequence}`;
};

/** A paybill push on the sandbox shortcode the simulator knows, to a phone that pays. */
export function aPaybillPush(
  receiver: CallbackReceiver,
  overrides: Partial<StkPushRequest> = {},
): StkPushRequest {
  return {
    app: null,
    transactionType: "CustomerPayBillOnline",
    businessShortCode: SANDBOX_SHORTCODE,
    passkey: SANDBOX_PASSKEY,
    partyB: SANDBOX_SHORTCODE,
    phone: phone("254712345678"),
    amount: okValue(Kes.forPush(100)),
    accountReference: "INV001",
    description: "Payment of invoice",
    callbackUrl: `${receiver.url}/api/mpesa/callback/${nextId()}`,
    ...overrides,
  };
}

/** A till (Buy Goods) push: the till is PartyB, the store number is BusinessShortCode. */
export function aTillPush(
  receiver: CallbackReceiver,
  overrides: Partial<StkPushRequest> = {},
): StkPushRequest {
  return aPaybillPush(receiver, {
    transactionType: "CustomerBuyGoodsOnline",
    businessShortCode: "300584",
    passkey: "store-passkey-300584",
    partyB: "5123456",
    accountReference: "MamaMboga",
    ...overrides,
  });
}

/** A B2C payout from a shortcode with the sandbox initiator, to a phone that gets paid. */
export function aPayoutRequest(
  receiver: CallbackReceiver,
  overrides: Partial<B2cPaymentRequest> = {},
): B2cPaymentRequest {
  const token = nextId();
  return {
    account: {
      app: null,
      shortcode: "600992",
      initiatorName: SANDBOX_INITIATOR_NAME,
      initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
    },
    originatorConversationId: `payme-${nextId()}`,
    commandId: "BusinessPayment",
    amount: okValue(Kes.forPayout(500)),
    phone: phone("254712345678"),
    remarks: "Weekly payout",
    resultUrl: `${receiver.url}/api/mpesa/b2c/result/${token}`,
    queueTimeoutUrl: `${receiver.url}/api/mpesa/b2c/timeout/${token}`,
    ...overrides,
  };
}

export const anApp = (name: string): DarajaApp => ({
  consumerKey: `${name}-key`,
  consumerSecret: `${name}-secret`,
});

/** The path part of a URL, to wait for the callbacks sent to it. */
export const pathOf = (url: string): string => new URL(url).pathname;

const SAMPLES = new URL("./fixtures/samples/", import.meta.url);

/** The Daraja samples (tests/daraja/fixtures/samples), by file name without `.json.txt`. */
export function samples(): readonly { readonly name: string; readonly json: unknown }[] {
  return readdirSync(SAMPLES)
    .filter((file) => file.endsWith(".json.txt"))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json\.txt$/, ""),
      json: JSON.parse(readFileSync(new URL(file, SAMPLES), "utf8")) as unknown,
    }));
}

export function sample(name: string): unknown {
  const found = samples().find((candidate) => candidate.name === name);
  if (found === undefined) {
    throw new Error(`no sample ${name}`);
  }
  return found.json;
}
