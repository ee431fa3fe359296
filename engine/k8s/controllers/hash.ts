// pod-template-hash: the label that ties a ReplicaSet and its pods to one version of a
// Deployment's pod template. Upstream hashes the template with FNV-32a and spells the decimal
// digits through a vowel-free alphabet (rand.SafeEncodeString) so it never forms words.

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  return [...s].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join("");
}

/** A stable JSON (keys sorted) so equal templates hash equally. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(String(fnv32a(canonical(template) + (collisionCount ? String(collisionCount) : ""))));
}
