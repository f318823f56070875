import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/** Resolves a host name to its addresses (node's dns.lookup by default; tests give a stub). */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** True for an address on the public internet: not private, loopback, link-local, multicast, reserved … */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) {
    return false;
  }
  return ipaddr.process(address).range() === "unicast";
}

/** The host of a URL as an address when it is one (IPv6 without its brackets), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the connection itself (undici's `connect.lookup`): it resolves the name and refuses to connect
 * when any answer is not a public address. Checked here, in the lookup the socket connects with, a name that
 * changes its answer between a check and the connect (DNS rebinding) is refused too.
 */
export function guardedLookup(resolve: Resolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((a) => !isPublicAddress(a.address));
        if (refused !== undefined || addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(
            refused === undefined
              ? `${hostname} has no address`
              : `${hostname} resolves to ${refused.address}, a private, loopback or link-local address: refused`,
          );
          error.code = "EADDRREFUSED_PRIVATE";
          callback(error, "");
          return;
        }
        if (options.all === true) {
          callback(null, [...addresses]);
          return;
        }
        const [first] = addresses;
        callback(null, first?.address ?? "", first?.family ?? 4);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}
