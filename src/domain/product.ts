import { type InvalidInput, invalid } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import { ProductName } from "./product-name.ts";
import { err, ok, type Result } from "./result.ts";
import type { Sku } from "./sku.ts";
import { StockLevel } from "./stock-level.ts";

export type ProductState = {
  readonly id: string;
  readonly businessId: string;
  name: string;
  sku: string | null;
  price: Kes;
  /** What can be sold now, with reservations already taken off. Never negative. */
  stock: number;
  /** What pending sales hold. Never negative. */
  reserved: number;
  readonly createdAt: Date;
  /** When the business stopped selling it; null while it is sold. Archived products stay in sales history. */
  archivedAt: Date | null;
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

/**
 * What `stock` and `reserved` may hold together: their columns are 32-bit integers. Reserving and releasing move
 * units between the two and keep the sum; only setting the stock while sales hold units can raise it.
 */
const ON_HAND_MAX = 2_147_483_647;

const formatted = (n: number) => n.toLocaleString("en-US");

/** Something a business sells, with its sellable stock and what pending sales hold. */
export class Product {
  static readonly NAME_MAX = ProductName.MAX;
  /** A price is 1 to 250,000 shillings: one STK push asks for at most that. */
  static readonly PRICE_MAX = Kes.PUSH_MAX;
  /** The sellable stock a business may set: 0 to 1,000,000. */
  static readonly STOCK_MAX = StockLevel.MAX;

  private constructor(private readonly state: ProductState) {}

  /** The values are parsed where they came in; a product has no rule of its own beyond them. */
  static create(input: {
    id: string;
    businessId: string;
    name: ProductName;
    price: Kes;
    stock: StockLevel;
    sku?: Sku | null;
    createdAt: Date;
  }): Product {
    return new Product({
      id: input.id,
      businessId: input.businessId,
      name: input.name.value,
      sku: input.sku?.value ?? null,
      price: input.price,
      stock: input.stock.value,
      reserved: 0,
      createdAt: input.createdAt,
      archivedAt: null,
    });
  }

  static restore(state: ProductState): Product {
    return new Product({ ...state });
  }

  /**
   * Changes name, price or the sellable quantity. Reservations held by pending sales are untouched; a stock that,
   * with them, would outgrow what the columns hold is refused.
   */
  update(changes: {
    name?: ProductName;
    price?: Kes;
    stock?: StockLevel;
    sku?: Sku | null;
  }): Result<void, InvalidInput> {
    const stock = changes.stock?.value ?? this.state.stock;
    if (stock + this.state.reserved > ON_HAND_MAX) {
      return err(
        invalid(
          "stock",
          `with the ${formatted(this.state.reserved)} held by pending sales, must be at most ${formatted(ON_HAND_MAX - this.state.reserved)}`,
        ),
      );
    }
    this.state.name = changes.name?.value ?? this.state.name;
    this.state.price = changes.price ?? this.state.price;
    this.state.stock = stock;
    if (changes.sku !== undefined) {
      this.state.sku = changes.sku?.value ?? null;
    }
    return ok();
  }

  /**
   * Adds delivered units to the sellable stock. Whatever pending sales hold meanwhile stays held: a restock never
   * overwrites a reservation, unlike setting the stock.
   */
  restock(quantity: StockLevel): Result<void, InvalidInput> {
    if (quantity.value < 1) {
      return err(invalid("quantity", "must be at least 1"));
    }
    const stock = this.state.stock + quantity.value;
    if (stock > StockLevel.MAX) {
      return err(
        invalid(
          "quantity",
          `would take the sellable stock past ${formatted(StockLevel.MAX)}: at most ${formatted(StockLevel.MAX - this.state.stock)} can be added`,
        ),
      );
    }
    if (stock + this.state.reserved > ON_HAND_MAX) {
      return err(invalid("quantity", "with what pending sales hold, is more than a product can count"));
    }
    this.state.stock = stock;
    return ok();
  }

  /** The business stops selling it. Pending sales keep what they hold; archiving twice keeps the first date. */
  archive(at: Date): void {
    this.state.archivedAt ??= at;
  }

  /** An archived product cannot be sold. */
  get archived(): boolean {
    return this.state.archivedAt !== null;
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

  /** Sold items came back (a refunded sale): sellable again, as far as the stock columns hold. */
  putBack(quantity: number): void {
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new RangeError(`a stock movement must be a positive whole quantity, got ${quantity}`);
    }
    this.state.stock = Math.min(this.state.stock + quantity, ON_HAND_MAX - this.state.reserved);
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
  get archivedAt(): Date | null {
    return this.state.archivedAt;
  }

  snapshot(): ProductState {
    return { ...this.state };
  }
}
