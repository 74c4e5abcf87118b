// Where remediation webhooks may go. A webhook URL is chosen by a person, so without this guard
// Sitrep could be made to call its own database, the cloud metadata service or anything else
// on the internal network (SSRF). Rules this file must keep:
// - every address a host resolves to must be public, not just the first one;
// - the address is checked again when the socket connects (createGuardedLookup), so a DNS answer
//   that changes between the check and the request (DNS rebinding) cannot slip through;
// - SITREP_WEBHOOK_ALLOW_HOSTS is the only way to reach an internal address, and it matches the
//   host as written in the URL, never the address it resolves to.
import 'server-only';
import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';
import type { LookupFunction } from 'node:net';

/** One SITREP_WEBHOOK_ALLOW_HOSTS entry; `port: null` allows every port. IPv6 hosts are bracketed. */
export type AllowEntry = { host: string; port: number | null };

export type ResolvedAddress = { address: string; family: number };

/** Resolves a host name to every address it has, like `dns.promises.lookup(host, { all: true })`. */
export type ResolveHost = (host: string) => Promise<ResolvedAddress[]>;

export type DestinationCheck = { ok: true; url: URL; addresses: string[] } | { ok: false; reason: string };

/** Thrown (through the lookup callback) when a connection would reach a forbidden address. */
export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
  readonly code = 'ESSRF';
}

const ALLOW_HINT = 'Sitrep does not send webhooks to internal addresses unless the host is listed in SITREP_WEBHOOK_ALLOW_HOSTS';

/**
 * Parses SITREP_WEBHOOK_ALLOW_HOSTS: `host`, `host:port`, `[v6]` or `[v6]:port`, comma-separated.
 * Throws on an entry that is not a host, so a typo is reported rather than silently ignored.
 */
export function parseAllowHosts(value: string): AllowEntry[] {
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map(parseAllowEntry);
}

function parseAllowEntry(entry: string): AllowEntry {
  const invalid = () => new Error(`SITREP_WEBHOOK_ALLOW_HOSTS: "${entry}" is not a host, host:port or [IPv6]:port`);
  // A bare IPv6 address has colons of its own, so it can only mean "any port".
  if (isIPv6(entry)) return { host: normalizeHost(entry), port: null };
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match?.[1]) throw invalid();
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) throw invalid();
  try {
    return { host: normalizeHost(match[1]), port };
  } catch {
    throw invalid();
  }
}

/**
 * A host name as the WHATWG URL parser sees it: lowercase, IDNA-encoded, numeric IPv4 forms
 * (`2130706433`, `0x7f.1`, `0177.0.0.1`) as dotted decimal, IPv6 compressed and bracketed, and
 * without a trailing dot. Throws a TypeError for anything that is not a host.
 */
export function normalizeHost(hostname: string): string {
  const text = isIPv6(hostname) ? `[${hostname}]` : hostname;
  // Characters that would make the URL parser read part of the text as something other than a host.
  if (text === '' || /[/?#@\\\s]/.test(text) || /:(?![^[]*\])/.test(text)) throw new TypeError(`"${hostname}" is not a host name`);
  let parsed: URL;
  try {
    parsed = new URL(`http://${text}/`);
  } catch {
    throw new TypeError(`"${hostname}" is not a host name`);
  }
  return parsed.hostname.replace(/\.$/, '');
}

/** The address for classification and lookup: IPv6 without brackets. */
function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function hostAllowed(host: string, port: number | undefined, allowHosts: AllowEntry[]): boolean {
  return allowHosts.some((entry) => entry.host === host && (entry.port === null || entry.port === port));
}

/**
 * Says why a connection to `ip` is not allowed ("loopback", "private (RFC 1918)", …), or null
 * for a public address. Anything that is not an IP address is refused too.
 */
export function classifyAddress(ip: string): string | null {
  if (isIPv4(ip)) return classifyIPv4(parseIPv4(ip));
  const groups = parseIPv6(ip);
  return groups === null ? 'invalid' : classifyIPv6(groups);
}

type Rule = { base: bigint; length: number; reason: string };

const v4 = (base: string, length: number, reason: string): Rule => ({ base: BigInt(parseIPv4(base)), length, reason });
const v6 = (base: string, length: number, reason: string): Rule => ({ base: groupsToBigInt(parseIPv6(base) ?? []), length, reason });

// First match wins, so specific ranges come before the ranges that contain them.
const ipv4Rules: Rule[] = [
  v4('0.0.0.0', 32, 'unspecified'),
  v4('0.0.0.0', 8, 'reserved'),
  v4('10.0.0.0', 8, 'private (RFC 1918)'),
  v4('100.100.100.200', 32, 'cloud metadata'), // Alibaba Cloud
  v4('100.64.0.0', 10, 'CGNAT (100.64.0.0/10)'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('168.63.129.16', 32, 'cloud metadata'), // Azure WireServer
  v4('169.254.169.254', 32, 'cloud metadata'),
  v4('169.254.170.2', 32, 'cloud metadata'), // AWS ECS task metadata
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private (RFC 1918)'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation (TEST-NET)'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private (RFC 1918)'),
  v4('198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'),
  v4('198.51.100.0', 24, 'documentation (TEST-NET)'),
  v4('203.0.113.0', 24, 'documentation (TEST-NET)'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('255.255.255.255', 32, 'broadcast'),
  v4('240.0.0.0', 4, 'reserved'),
];

// Ranges that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are handled in classifyIPv6.
const ipv6Rules: Rule[] = [
  v6('64:ff9b:1::', 48, 'reserved'), // local-use NAT64
  v6('100::', 64, 'reserved'), // discard-only
  v6('2001::', 32, 'reserved'), // Teredo
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
  v6('fd00:ec2::254', 128, 'cloud metadata'), // AWS
  v6('fc00::', 7, 'unique local (fc00::/7)'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'site-local'),
  v6('ff00::', 8, 'multicast'),
];

function matches(rules: Rule[], value: bigint, bits: number): string | null {
  for (const rule of rules) {
    const shift = BigInt(bits - rule.length);
    if (value >> shift === rule.base >> shift) return rule.reason;
  }
  return null;
}

function classifyIPv4(value: number): string | null {
  return matches(ipv4Rules, BigInt(value), 32);
}

function classifyIPv6(groups: number[]): string | null {
  const value = groupsToBigInt(groups);
  const high = value >> 32n;
  const low = Number(value & 0xffffffffn);
  if (value === 0n) return 'unspecified';
  if (value === 1n) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address itself; so may NAT64 (64:ff9b::a.b.c.d).
  if (high === 0xffffn || high === 0x64ff9bn << 64n) return classifyIPv4(low);
  // IPv4-compatible (::a.b.c.d, deprecated) and IPv4-translated (::ffff:0:a.b.c.d): never public.
  if (high === 0n || high === 0xffff0000n) return classifyIPv4(low) ?? 'reserved';
  // 6to4 (2002:aabb:ccdd::/48) embeds an IPv4 address in bits 16–47.
  if (value >> 112n === 0x2002n) return classifyIPv4(Number((value >> 80n) & 0xffffffffn));
  const reason = matches(ipv6Rules, value, 128);
  if (reason) return reason;
  // Only 2000::/3 is allocated as global unicast.
  return value >> 125n === 1n ? null : 'reserved';
}

/** Dotted-decimal IPv4 (already validated) as an unsigned 32-bit number. */
function parseIPv4(text: string): number {
  return text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** Eight 16-bit groups, or null when `text` is not an IPv6 address. A zone (`%eth0`) is ignored. */
function parseIPv6(text: string): number[] | null {
  let address = text.toLowerCase().replace(/%.*$/, '');
  if (!isIPv6(address)) return null;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    address = `${address.slice(0, lastColon + 1)}${Math.floor(v4 / 0x10000).toString(16)}:${(v4 % 0x10000).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  const groups = [...headGroups, ...zeros, ...restGroups].map((group) => parseInt(group, 16));
  return groups.length === 8 ? groups : null;
}

function groupsToBigInt(groups: number[]): bigint {
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function article(reason: string): string {
  return /^(?:[aeio]|un(?!i))/i.test(reason) ? 'an' : 'a';
}

function refusal(host: string, address: string, reason: string): string {
  const what = `${article(reason)} ${reason} address`;
  return host === address ? `${address} is ${what}; ${ALLOW_HINT}` : `${host} resolves to ${address}, ${what}; ${ALLOW_HINT}`;
}

const defaultResolve: ResolveHost = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * Decides whether Sitrep may send a webhook to `url`. Refuses other schemes, credentials in the
 * URL, hosts that do not resolve, and hosts with any forbidden address unless allow-listed.
 * Deliver with `createGuardedLookup` as well: this check alone does not stop DNS rebinding.
 */
export async function checkDestination(url: string, options: { allowHosts: AllowEntry[]; lookup?: ResolveHost }): Promise<DestinationCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `"${url}" is not a valid URL; webhook URLs look like https://hooks.example.com/path` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `Webhook URLs must use http or https, not ${parsed.protocol.slice(0, -1)}` };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, reason: 'Webhook URLs must not contain a user name or password (user:password@); send credentials in a header instead' };
  }
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  // `example.com.` and `example.com` are one host for the allow-list, but DNS gets the name as
  // written: without the dot a resolver may try its search domains first.
  const allowed = hostAllowed(parsed.hostname.replace(/\.$/, ''), port, options.allowHosts);
  const literal = bare(parsed.hostname);

  let addresses: string[];
  if (isIPv4(literal) || isIPv6(literal)) {
    addresses = [literal];
  } else {
    try {
      addresses = (await (options.lookup ?? defaultResolve)(literal)).map((entry) => entry.address);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return { ok: false, reason: `${literal} does not resolve to an address; check the host name in the webhook URL` };
  }
  if (!allowed) {
    for (const address of addresses) {
      const reason = classifyAddress(address);
      if (reason) return { ok: false, reason: refusal(literal, address, reason) };
    }
  }
  return { ok: true, url: parsed, addresses };
}

type GuardOptions = {
  /** The port being connected to; allow entries with a port match only when it is given and equal. */
  port?: number;
  /** Replaces the system resolver (tests). */
  lookup?: ResolveHost;
};

/**
 * A `lookup` for `http.request`/`https.request` (or a socket's `connect`) that resolves the host
 * and fails with a DestinationRefusedError (code ESSRF) when any address is forbidden, so the
 * connection goes only to addresses checked at connect time. Node skips `lookup` for IP literals;
 * checkDestination covers those.
 */
export function createGuardedLookup(allowHosts: AllowEntry[], options: GuardOptions = {}): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const { family, all, hints } = readLookupOptions(lookupOptions);
    const resolved = options.lookup
      ? options.lookup(hostname).then((entries) => entries.filter((entry) => family === 0 || entry.family === family))
      : dns.lookup(hostname, { all: true, verbatim: true, family, hints });
    resolved.then(
      (entries) => {
        // The callback runs outside the promise so a throw inside it is not swallowed.
        const answer = guard(hostname, entries, allowHosts, options.port);
        process.nextTick(() => {
          if (answer instanceof Error) callback(answer, all ? [] : '');
          else if (all) callback(null, answer);
          else callback(null, answer[0]?.address ?? '', answer[0]?.family);
        });
      },
      (error: NodeJS.ErrnoException) => process.nextTick(() => callback(error, all ? [] : '')),
    );
  };
}

function guard(hostname: string, entries: LookupAddress[], allowHosts: AllowEntry[], port: number | undefined): LookupAddress[] | Error {
  if (entries.length === 0) {
    return Object.assign(new Error(`${hostname} does not resolve to an address`), { code: 'ENOTFOUND', hostname });
  }
  let host: string;
  try {
    host = normalizeHost(hostname);
  } catch {
    host = '';
  }
  if (host && hostAllowed(host, port, allowHosts)) return entries;
  for (const entry of entries) {
    const reason = classifyAddress(entry.address);
    if (reason) return new DestinationRefusedError(refusal(bare(host) || hostname, entry.address, reason));
  }
  return entries;
}

function readLookupOptions(options: LookupOptions | number | undefined): { family: number; all: boolean; hints: number | undefined } {
  if (typeof options === 'number') return { family: options, all: false, hints: undefined };
  const family = options?.family === 'IPv4' ? 4 : options?.family === 'IPv6' ? 6 : (options?.family ?? 0);
  return { family, all: options?.all === true, hints: options?.hints };
}
