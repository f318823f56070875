import type { Business } from "../../domain/business.ts";
import type { Email } from "../../domain/email.ts";
import type { Role } from "../../domain/role.ts";

/** A member of a business, as the members list shows them. */
export type Member = {
  readonly businessId: string;
  readonly userId: string;
  readonly email: Email;
  readonly name: string;
  readonly role: Role;
  readonly addedAt: Date;
};

/** A business a user belongs to, with their role in it. */
export type BusinessMembership = { readonly business: Business; readonly role: Role };

/**
 * Who belongs to which business, with which role (`business_members`). A business's creator is added as its
 * owner by BusinessRepository.add. Never cached: a change counts from the next request, on every instance.
 */
export interface MemberRepository {
  /** Adds the user to the business; false (and nothing changed) when they already belong to it. */
  add(member: {
    readonly businessId: string;
    readonly userId: string;
    readonly role: Role;
    readonly addedAt: Date;
  }): Promise<boolean>;
  /** One member of a business, or null. */
  find(businessId: string, userId: string): Promise<Member | null>;
  /** The members of a business, owners first, then by when they were added. */
  listForBusiness(businessId: string): Promise<Member[]>;
  /** The businesses a user belongs to, newest first, with their role in each. */
  listForUser(userId: string): Promise<BusinessMembership[]>;
  /** How many owners the business has. Call with the business row locked, so that two demotions take turns. */
  countOwners(businessId: string): Promise<number>;
  changeRole(businessId: string, userId: string, role: Role): Promise<void>;
  remove(businessId: string, userId: string): Promise<void>;
}
