import { EntitySchema } from "@mikro-orm/core";
import { C2B_SHORTCODE_UNIQUE } from "../../../application/ports/c2b-registration-repository.ts";
import {
  C2B_RESPONSE_TYPES,
  C2bRegistration,
  type C2bResponseType,
  type C2bValidationRules,
} from "../../../domain/c2b-registration.ts";

export interface C2bRegistrationRow {
  id: string;
  businessId: string;
  shortcode: string;
  tokenHash: string;
  tokenHint: string;
  responseType: C2bResponseType;
  validation: C2bValidationRules;
  confirmationUrl: string;
  validationUrl: string;
  darajaResponse: Record<string, string>;
  registeredAt: Date;
}

/** C2B URL registrations: one per business, one business per shortcode, one per token. */
export const C2bRegistrationSchema = new EntitySchema<C2bRegistrationRow>({
  name: "C2bRegistrationRow",
  tableName: "c2b_registrations",
  properties: {
    id: { type: "uuid", primary: true },
    businessId: {
      kind: "m:1",
      entity: "BusinessRow",
      mapToPk: true,
      fieldName: "business_id",
      unique: "c2b_registrations_business_id_unique",
    },
    shortcode: { type: "text", unique: C2B_SHORTCODE_UNIQUE },
    tokenHash: { type: "text", unique: "c2b_registrations_token_hash_unique" },
    tokenHint: { type: "text" },
    responseType: { enum: true, items: () => [...C2B_RESPONSE_TYPES], type: "text" },
    validation: { type: "json" },
    confirmationUrl: { type: "text" },
    validationUrl: { type: "text" },
    darajaResponse: { type: "json" },
    registeredAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const c2bRegistrationToRow = (registration: C2bRegistration): C2bRegistrationRow => {
  const s = registration.snapshot();
  return { ...s, validation: { ...s.validation }, darajaResponse: { ...s.darajaResponse } };
};

export const c2bRegistrationToDomain = (row: C2bRegistrationRow): C2bRegistration =>
  C2bRegistration.restore({ ...row });
