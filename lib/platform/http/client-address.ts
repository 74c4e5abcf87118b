// The address a request comes from. The socket's peer is the truth; X-Forwarded-For is believed
// only as far as it was written by proxies listed in SITREP_TRUSTED_PROXIES (none by default),
// walking it from the right as each trusted hop appended the address it saw. Anyone can send
// X-Forwarded-For, so trusting it from anywhere would let one client be every address.
//
// The server's request edge (edge.ts) works the address out once from the socket and stamps it
// on the request as `x-sitrep-client-address`, replacing whatever a client sent under that name;
// everything after it (rate limits, sign-in limits, sessions) reads that header.
import { BlockList, isIP } from 'node:net';

export const CLIENT_ADDRESS_HEADER = 'x-sitrep-client-address';

/** Parses `10.0.0.0/8, 192.168.1.7, ::1, fd00::/8`; throws naming the first entry that is neither an address nor a CIDR range. */
export function parseTrustedProxies(list: string): BlockList {
  const blocks = new BlockList();
  for (const entry of list.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
      throw new Error(`${entry} is neither an IP address nor a CIDR range such as 10.0.0.0/8 or fd00::/8`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) blocks.addAddress(address!, type);
    else blocks.addSubnet(address!, prefix, type);
  }
  return blocks;
}

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) is 10.1.2.3. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed.toLowerCase();
}

function isTrusted(blocks: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address: the peer itself unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not a trusted proxy (or the left-most, if every hop is trusted).
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  const direct = normaliseAddress(peer ?? '') || 'unknown';
  if (!isTrusted(trusted, direct) || !forwardedFor) return direct;
  const hops = [forwardedFor]
    .flat()
    .join(',')
    .split(',')
    .map(normaliseAddress)
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(trusted, hops[i]!)) return hops[i]!;
  return hops[0] ?? direct;
}

/** The client address the edge stamped on the request; 'unknown' when the request did not pass through it. */
export function clientAddress(headers: Pick<Headers, 'get'> | Record<string, unknown> | undefined): string {
  const value = typeof headers?.get === 'function' ? (headers as Pick<Headers, 'get'>).get(CLIENT_ADDRESS_HEADER) : (headers as Record<string, unknown> | undefined)?.[CLIENT_ADDRESS_HEADER];
  return typeof value === 'string' && value ? value : 'unknown';
}
