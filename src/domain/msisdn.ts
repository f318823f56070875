import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * A Kenyan mobile number, always held in Daraja's 12-digit form: 2547XXXXXXXX or 2541XXXXXXXX.
 *
 * Accepts +254712345678, 254712345678, 0712345678 and 712345678 (and the same for 01xx),
 * with optional spaces or hyphens between digits. Whether the line is on M-Pesa is Daraja's to say,
 * so prefixes are not checked against a carrier list.
 */
export class Msisdn {
  private static readonly FORM = /^(?:\+254|254|0)?([17]\d{8})$/;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "phone"): Result<Msisdn, InvalidInput> {
    if (typeof input !== "string") {
      return err(invalid(path, "must be a Kenyan mobile number such as 0712345678"));
    }
    const compact = input.trim().replace(/(?<=[\d+])[\s-](?=\d)/g, "");
    const match = Msisdn.FORM.exec(compact);
    if (match === null) {
      return err(invalid(path, "must be a Kenyan mobile number such as 0712345678 or 254712345678"));
    }
    return ok(new Msisdn(`254${match[1]}`));
  }

  static restore(value: string): Msisdn {
    return new Msisdn(value);
  }

  equals(other: Msisdn): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
