/** How the pages write money, phones and times: as a Kenyan shopkeeper reads them. */
export const show = {
  /** 1500 → "KES 1,500" */
  kes: (amount: number): string => `KES ${amount.toLocaleString("en-US")}`,
  /** 254712345678 → "0712345678", as a form field is filled in */
  localPhone: (msisdn: string): string => `0${msisdn.slice(3)}`,
  /** 254712345678 → "0712 345 678" */
  phone: (msisdn: string): string => {
    const local = show.localPhone(msisdn);
    return `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`;
  },
  /** In Nairobi time (EAT, no daylight saving), e.g. "26 Nov, 11:44". */
  time: (at: Date): string =>
    at.toLocaleString("en-GB", {
      timeZone: "Africa/Nairobi",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    }),
};
