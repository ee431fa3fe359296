// Label selectors: how Services find Pods and ReplicaSets count theirs. Loose coupling by
// labels is the whole wiring of Kubernetes, so the parser follows kubectl's -l syntax exactly
// enough: a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a.

export type Labels = Record<string, string>;

export interface Requirement {
  key: string;
  op: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export class SelectorError extends Error {}

/** kubectl's -l string → requirements (all must hold). */
export function parseSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  const s = text.trim();
  if (!s) return reqs;
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of s) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      reqs.push({ key: m[1]!, op: m[2] === "in" ? "In" : "NotIn", values: m[3]!.split(",").map((v) => v.trim()).filter(Boolean) });
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(p))) {
      reqs.push({ key: m[1]!, op: m[2] === "!=" ? "NotIn" : "In", values: [m[3]!] });
    } else if ((m = /^!([\w./-]+)$/.exec(p))) {
      reqs.push({ key: m[1]!, op: "DoesNotExist", values: [] });
    } else if ((m = /^([\w./-]+)$/.exec(p))) {
      reqs.push({ key: m[1]!, op: "Exists", values: [] });
    } else {
      throw new SelectorError(`unable to parse requirement: found '${p}', expected: identifier`);
    }
  }
  return reqs;
}

/** A LabelSelector object (matchLabels + matchExpressions) → requirements. */
export function selectorRequirements(sel: LabelSelector | undefined): Requirement[] {
  if (!sel) return [];
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: "In" as const, values: [v] }));
  for (const e of sel.matchExpressions ?? []) reqs.push({ key: e.key, op: e.operator as Requirement["op"], values: e.values ?? [] });
  return reqs;
}

export function matches(labels: Labels | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case "In":
        return has && r.values.includes(l[r.key]!);
      case "NotIn":
        return !has || !r.values.includes(l[r.key]!);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
    }
  });
}

/** A map selector (Service.spec.selector, nodeSelector): every pair must match. An empty map selects nothing for Services. */
export function matchesMap(labels: Labels | undefined, sel: Labels | undefined): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);
}

export function formatLabels(l: Labels | undefined): string {
  const e = Object.entries(l ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}
