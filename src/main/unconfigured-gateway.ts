import type { PaymentGateway } from "../application/ports/payment-gateway.ts";

/**
 * The payment gateway of a container built without a Daraja connection (tests and tools that never reach
 * Daraja): the use cases that hold it are built as usual, and any call to Daraja is a bug that throws.
 */
export class UnconfiguredGateway implements PaymentGateway {
  stkPush(): never {
    return unconfigured();
  }

  stkQuery(): never {
    return unconfigured();
  }

  b2cPayment(): never {
    return unconfigured();
  }

  transactionStatus(): never {
    return unconfigured();
  }

  reverse(): never {
    return unconfigured();
  }

  accountBalance(): never {
    return unconfigured();
  }

  registerC2bUrls(): never {
    return unconfigured();
  }

  pullTransactions(): never {
    return unconfigured();
  }
}

function unconfigured(): never {
  throw new Error("no Daraja connection was configured for this container");
}
