/**
 * A sale's short reference, unique within its business and easy to read out: six characters of an alphabet
 * without the look-alikes 0/O and 1/I (`S7K2QD`). A customer paying a pending sale from their own M-Pesa menu
 * types it as the paybill's account number, in any letter case and with spaces where they like.
 */
export class SaleReference {
  static readonly ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  static readonly LENGTH = 6;
  private static readonly FORM = /^[2-9A-HJ-NP-Z]{6}$/;

  private constructor(readonly value: string) {}

  /**
   * A reference from random bytes (at least LENGTH of them): the alphabet has 32 letters, so each byte's low five
   * bits pick one without bias.
   */
  static fromRandomBytes(bytes: Uint8Array): SaleReference {
    if (bytes.length < SaleReference.LENGTH) {
      throw new Error(`a sale reference needs ${SaleReference.LENGTH} random bytes`);
    }
    let value = "";
    for (let i = 0; i < SaleReference.LENGTH; i += 1) {
      value += SaleReference.ALPHABET[(bytes[i] as number) & 31];
    }
    return new SaleReference(value);
  }

  /**
   * What a customer typed as an account number, read as a reference: letter case, spaces and dashes do not
   * matter. Null when it cannot be a reference.
   */
  static read(typed: string): SaleReference | null {
    if (typed.length > 32) {
      return null;
    }
    const value = typed.replace(/[\s-]/g, "").toUpperCase();
    return SaleReference.FORM.test(value) ? new SaleReference(value) : null;
  }

  static restore(value: string): SaleReference {
    return new SaleReference(value);
  }

  equals(other: SaleReference): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
