import { type InvalidInput, invalid, validateAll } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import { err, ok, type Result } from "./result.ts";
import { requiredText } from "./text.ts";

export type ProductState = {
  readonly id: string;
  readonly businessId: string;
  name: string;
  readonly sku: string | null;
  price: Kes;
  /** What can be sold now, with reservations already taken off. Never negative. */
  stock: number;
  /** What pending sales hold. Never negative. */
  reserved: number;
  readonly createdAt: Date;
};

export type InsufficientStock = {
  readonly type: "insufficient_stock";
  readonly productId: string;
  readonly productName: string;
  readonly requested: number;
  readonly available: number;
};

/** A stock problem that only a bug can cause: moving more out of `reserved` than it holds. */
export type ReservationMismatch = {
  readonly type: "reservation_mismatch";
  readonly productId: string;
  readonly requested: number;
  readonly reserved: number;
};

const STOCK_MAX = 1_000_000;

/**
 * What `stock` and `reserved` may hold together: their columns are 32-bit integers. Reserving and releasing move
 * units between the two and keep the sum; only setting the stock while sales hold units can raise it.
 */
const ON_HAND_MAX = 2_147_483_647;

const formatted = (n: number) => n.toLocaleString("en-US");

function parseStock(input: unknown, path: string): Result<number, InvalidInput> {
  if (typeof input !== "number" || !Number.isInteger(input) || input < 0 || input > STOCK_MAX) {
    return err(invalid(path, `must be a whole number from 0 to ${formatted(STOCK_MAX)}`));
  }
  return ok(input);
}

function parseSku(input: unknown): Result<string | null, InvalidInput> {
  if (input === undefined || input === null) {
    return ok(null);
  }
  if (typeof input !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(input)) {
    return err(invalid("sku", "must be 1 to 64 letters, digits, dots, dashes or underscores"));
  }
  return ok(input);
}

/** Something a business sells, with its sellable stock and what pending sales hold. */
export class Product {
  static readonly NAME_MAX = 120;
  /** A price is 1 to 250,000 shillings: one STK push asks for at most that. */
  static readonly PRICE_MAX = Kes.PUSH_MAX;
  /** The sellable stock a business may set: 0 to 1,000,000. */
  static readonly STOCK_MAX = STOCK_MAX;

  private constructor(private readonly state: ProductState) {}

  static create(input: {
    id: string;
    businessId: string;
    name: unknown;
    price: unknown;
    stock: unknown;
    sku?: unknown;
    createdAt: Date;
  }): Result<Product, InvalidInput> {
    const parsed = validateAll({
      name: requiredText(input.name, "name", Product.NAME_MAX),
      price: Kes.forPrice(input.price),
      stock: parseStock(input.stock, "stock"),
      sku: parseSku(input.sku),
    });
    if (!parsed.ok) {
      return parsed;
    }
    return ok(
      new Product({
        id: input.id,
        businessId: input.businessId,
        ...parsed.value,
        reserved: 0,
        createdAt: input.createdAt,
      }),
    );
  }

  static restore(state: ProductState): Product {
    return new Product({ ...state });
  }

  /** Changes name, price or the sellable quantity. Reservations held by pending sales are untouched. */
  update(changes: { name?: unknown; price?: unknown; stock?: unknown }): Result<void, InvalidInput> {
    const parsed = validateAll({
      name:
        changes.name === undefined
          ? ok(this.state.name)
          : requiredText(changes.name, "name", Product.NAME_MAX),
      price: changes.price === undefined ? ok(this.state.price) : Kes.forPrice(changes.price),
      stock: changes.stock === undefined ? ok(this.state.stock) : parseStock(changes.stock, "stock"),
    });
    if (!parsed.ok) {
      return parsed;
    }
    if (parsed.value.stock + this.state.reserved > ON_HAND_MAX) {
      return err(
        invalid(
          "stock",
          `with the ${formatted(this.state.reserved)} held by pending sales, must be at most ${formatted(ON_HAND_MAX - this.state.reserved)}`,
        ),
      );
    }
    this.state.name = parsed.value.name;
    this.state.price = parsed.value.price;
    this.state.stock = parsed.value.stock;
    return ok();
  }

  /** Holds `quantity` for a pending sale: it leaves `stock` and joins `reserved`. */
  reserve(quantity: number): Result<void, InsufficientStock> {
    const shortfall = this.shortfallFor(quantity);
    if (shortfall !== null) {
      return err(shortfall);
    }
    this.state.stock -= quantity;
    this.state.reserved += quantity;
    return ok();
  }

  /** The sale was paid: the held quantity is sold for good. */
  commitReserved(quantity: number): Result<void, ReservationMismatch> {
    const mismatch = this.reservationMismatch(quantity);
    if (mismatch !== null) {
      return err(mismatch);
    }
    this.state.reserved -= quantity;
    return ok();
  }

  /** The sale failed, was cancelled, or its hold lapsed: the held quantity is sellable again. */
  releaseReserved(quantity: number): Result<void, ReservationMismatch> {
    const mismatch = this.reservationMismatch(quantity);
    if (mismatch !== null) {
      return err(mismatch);
    }
    this.state.reserved -= quantity;
    this.state.stock += quantity;
    return ok();
  }

  /** A sale paid after its hold lapsed takes its quantity again, if there is still enough. */
  takeSold(quantity: number): Result<void, InsufficientStock> {
    const shortfall = this.shortfallFor(quantity);
    if (shortfall !== null) {
      return err(shortfall);
    }
    this.state.stock -= quantity;
    return ok();
  }

  /** Null when `quantity` can be covered from sellable stock. */
  shortfallFor(quantity: number): InsufficientStock | null {
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new RangeError(`a stock movement must be a positive whole quantity, got ${quantity}`);
    }
    if (quantity > this.state.stock) {
      return {
        type: "insufficient_stock",
        productId: this.state.id,
        productName: this.state.name,
        requested: quantity,
        available: this.state.stock,
      };
    }
    return null;
  }

  private reservationMismatch(quantity: number): ReservationMismatch | null {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > this.state.reserved) {
      return {
        type: "reservation_mismatch",
        productId: this.state.id,
        requested: quantity,
        reserved: this.state.reserved,
      };
    }
    return null;
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get name(): string {
    return this.state.name;
  }
  get sku(): string | null {
    return this.state.sku;
  }
  get price(): Kes {
    return this.state.price;
  }
  get stock(): number {
    return this.state.stock;
  }
  get reserved(): number {
    return this.state.reserved;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  snapshot(): ProductState {
    return { ...this.state };
  }
}
