// Alertmanager's fingerprint of a label set (Prometheus `model.LabelSet.Fingerprint`): FNV-1a 64
// over the label names in byte order, each name and value followed by the byte 0xff, printed as
// 16 hex digits. Used when an Alertmanager-shaped sender leaves `fingerprint` out, so the alert
// gets the same identity Alertmanager would have given it and a later payload that does carry
// the fingerprint still finds it. tests/unit/alerts-payloads.test.ts checks it against
// fingerprints a real Alertmanager sent.
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

/** Go sorts label names as byte strings; JavaScript's default sort compares UTF-16 units, which differs above U+FFFF. */
function byteOrder(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function labelSetFingerprint(labels: Record<string, string>): string {
  let hash = OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  const names = Object.keys(labels)
    .map((name) => ({ name, bytes: encoder.encode(name) }))
    .sort((a, b) => byteOrder(a.bytes, b.bytes));
  for (const { name, bytes } of names) {
    for (const byte of bytes) add(byte);
    add(SEPARATOR);
    for (const byte of encoder.encode(labels[name]!)) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
