import type { IncomingMessage } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";

/**
 * Which proxies in front of PayMe may be believed about the client's address (TRUST_PROXY):
 * - none: the socket's peer is the client;
 * - hops: that many proxies stand in front (the socket's peer is the last of them), so the client is that many
 *   entries from the right of the chain "X-Forwarded-For, socket";
 * - addresses: the proxies are these addresses and CIDR ranges (or proxy-addr's names `loopback`, `linklocal`,
 *   `uniquelocal`); the client is the rightmost address of the chain that is not one of them.
 * The leftmost X-Forwarded-For value, which any client can write, is never believed unless every hop after it
 * is trusted.
 */
export type TrustProxy =
  | { readonly kind: "none" }
  | { readonly kind: "hops"; readonly hops: number }
  | { readonly kind: "addresses"; readonly addresses: readonly string[] };

export const TRUST_NO_PROXY: TrustProxy = { kind: "none" };

/** At most this many hops: a chain longer than any real deployment's is a mistake in the setting. */
export const MAX_TRUSTED_HOPS = 32;

/**
 * Reads TRUST_PROXY: `false` or `0` (none), `true` (one hop), a hop count, or a comma-separated list of addresses
 * and CIDR ranges. Null when the value is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | null {
  const text = value.trim().toLowerCase();
  if (text === "false" || text === "0") {
    return TRUST_NO_PROXY;
  }
  if (text === "true") {
    return { kind: "hops", hops: 1 };
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= MAX_TRUSTED_HOPS ? { kind: "hops", hops } : null;
  }
  const addresses = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (addresses.length === 0) {
    return null;
  }
  try {
    proxyAddr.compile(addresses);
  } catch {
    // proxy-addr names the bad entry in its TypeError; the setting's own message says what is expected.
    return null;
  }
  return { kind: "addresses", addresses };
}

/** proxy-addr's view of a request: the socket's peer and the X-Forwarded-For header, nothing else. */
function forwardedChain(c: Context): IncomingMessage {
  const view = {
    socket: { remoteAddress: socketAddress(c) },
    headers: { "x-forwarded-for": c.req.header("x-forwarded-for") ?? "" },
  };
  return view as unknown as IncomingMessage;
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Requests made in-process (tests' app.request) have no socket.
    return undefined;
  }
}

/** The trust test proxy-addr applies to each hop, from the socket's peer (hop 0) leftwards. */
function trustFunction(trust: TrustProxy): ((address: string, hop: number) => boolean) | null {
  switch (trust.kind) {
    case "none":
      return null;
    case "hops":
      return (_address, hop) => hop < trust.hops;
    case "addresses":
      return proxyAddr.compile([...trust.addresses]);
  }
}

/**
 * The address a request came from, as TRUST_PROXY says to read it. "unknown" when there is none (requests made
 * in-process by tests, without X-Forwarded-For).
 */
export function clientAddressResolver(trust: TrustProxy): (c: Context) => string {
  const trusted = trustFunction(trust);
  return (c) => {
    if (trusted === null) {
      return socketAddress(c) ?? "unknown";
    }
    const address = proxyAddr(forwardedChain(c), trusted);
    return address === undefined || address === "" ? "unknown" : address;
  };
}

/**
 * True when the request came through a trusted proxy, so that its X-Forwarded-Proto and X-Forwarded-Host may be
 * believed: always with a hop count, and with a list only when the socket's peer is on it.
 */
export function forwardedHeadersTrusted(trust: TrustProxy): (c: Context) => boolean {
  const trusted = trustFunction(trust);
  return (c) => {
    if (trusted === null) {
      return false;
    }
    if (trust.kind === "hops") {
      return trust.hops > 0;
    }
    const peer = socketAddress(c);
    return peer !== undefined && trusted(peer, 0);
  };
}

/**
 * The bucket an address is counted in for rate limits: an IPv4 address (IPv4-mapped IPv6 included) on its own,
 * and an IPv6 address by its /64 network, since anyone holding one IPv6 address usually holds the whole /64. A
 * value that is no address (a proxy's odd header) is its own bucket.
 */
export function rateLimitBucket(address: string): string {
  if (!ipaddr.isValid(address)) {
    return address;
  }
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") {
    return parsed.toString();
  }
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toNormalizedString().replace(/%.*$/, "")}/64`);
  return `${network.toRFC5952String()}/64`;
}
