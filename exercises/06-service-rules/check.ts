// Exercise 6: be kube-proxy. On worker-1, write the nat rules that make 10.32.0.200:80 a
// Service address for three pods, split evenly. The grader SENDS 3,000 CONNECTIONS: each is a
// TCP SYN from the client pod on worker-1, walked through the real netfilter and conntrack of
// the engine (host.tracePacket), and counted by the pod it was delivered to. The hints read
// the rules those packets met (the typed trace), never the learner's script.
import { createCluster } from "../../engine";
import type { Cluster, Host, PacketTraceSnapshot, ShResult } from "../../engine";
import type { CheckResult, Exercise } from "../exercise";

export const VIP = "10.32.0.200";
export const PORT = 80;
export const ENDPOINTS = ["shop-1", "shop-2", "shop-3"] as const;
export const CONNECTIONS = 3000;
/** Each endpoint must get 1000 ± 100 (the binomial spread at p = 1/3 is ±26 per σ). */
export const TOLERANCE = 100;
/** Where the learner's rules go, and where the client pod runs. */
export const NODE = "worker-1";

/** The three shop pods (nginx) and a client pod on worker-1 — no Service: kube-proxy writes nothing for them. */
export const LAB_YAML = `${ENDPOINTS.map((n, i) => `apiVersion: v1
kind: Pod
metadata: {name: ${n}, labels: {app: shop}}
spec:
  nodeName: worker-${(i % 2) + 1}
  containers: [{name: nginx, image: nginx:1.27}]
`).join("---\n")}---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: ${NODE}
  containers: [{name: client, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3, command: [sleep, infinity]}]
`;

/** The lab each setup() made, so check() can reach its worker (the page's world is the control plane). */
const labs = new WeakMap<Host, Cluster>();

function setup(): Host {
  const c = createCluster({ workers: 2, seed: 1 });
  const r = c.sh("kubectl apply -f -", { stdin: LAB_YAML });
  if (r.exitCode !== 0) throw new Error(`exercise 6 setup failed: ${r.stderr}`);
  c.settle();
  labs.set(c.controlPlane, c);
  return c.controlPlane;
}

/** The learner's script runs on worker-1 as root, as if typed there after `ssh worker-1`. */
function apply(host: Host, work: string): ShResult {
  const c = labs.get(host);
  if (!c) return { stdout: "", stderr: "exercise 6: this lab was not made by the exercise's setup\n", exitCode: 1 };
  return c.node(NODE).sh(work.endsWith("\n") ? work : work + "\n");
}

function podIP(c: Cluster, name: string): string | undefined {
  const pod = c.api.tryGet("Pod", "default", name) as { status?: { podIP?: string } } | null;
  return pod?.status?.podIP;
}

/** The network namespace of a pod on a host: the one holding its IP. */
function netnsOf(host: Host, ip: string): number | undefined {
  return host.network().namespaces.find((ns) => ns.links.some((l) => l.addrs.some((a) => a.ip === ip)))?.inode;
}

interface Tally {
  hits: number[];
  other: number;
  failed: number;
  /** The first trace, whose chains show the rules (for hints). */
  sample?: PacketTraceSnapshot;
  lastFailure?: string;
}

function send(c: Cluster, ips: string[]): Tally {
  const w = c.node(NODE);
  const from = netnsOf(w, podIP(c, "client") ?? "");
  const t: Tally = { hits: ips.map(() => 0), other: 0, failed: 0 };
  if (from === undefined) {
    t.failed = CONNECTIONS;
    t.lastFailure = "the client pod has no network namespace on worker-1";
    return t;
  }
  // Which (host, netns) is which endpoint pod.
  const places = new Map<string, number>();
  for (const h of c.hosts.slice(1)) for (const [i, ip] of ips.entries()) {
    const ns = netnsOf(h, ip);
    if (ns !== undefined) places.set(`${h.name}/${ns}`, i);
  }
  for (let n = 0; n < CONNECTIONS; n++) {
    const tr = w.tracePacket({ from, proto: "tcp", dst: VIP, dport: PORT });
    t.sample ??= tr;
    const delivered = tr.steps.find((s) => s.packet === 0 && s.kind === "deliver");
    const which = delivered ? places.get(`${delivered.at.host}/${delivered.at.netns}`) : undefined;
    if (tr.outcome !== "reply") {
      t.failed++;
      t.lastFailure = tr.summary;
    }
    if (which === undefined) t.other += delivered ? 1 : 0;
    else t.hits[which]!++;
  }
  return t;
}

/** The chain the Service address jumps to, and the probability on each of its rules (null: none). */
function splitRules(sample: PacketTraceSnapshot | undefined): { chain: string; probs: (number | null)[]; targets: string[] } | null {
  if (!sample) return null;
  // The chain holding the rule that matched the VIP leads to the split chain.
  const jump = sample.steps.find((s) => s.kind === "rule" && s.matched && s.table === "nat" && s.rule.includes(`-d ${VIP}/32`) && / -j (\S+)/.test(s.rule));
  if (!jump || jump.kind !== "rule") return null;
  const chain = / -j (\S+)/.exec(jump.rule)![1]!;
  const def = sample.steps.find((s) => s.kind === "chain" && s.chain === chain);
  if (!def || def.kind !== "chain") return null;
  const rules = def.rules.filter((r) => / -j \S+/.test(r));
  return {
    chain,
    probs: rules.map((r) => {
      const m = /--probability (\S+)/.exec(r);
      return m ? Number(m[1]) : null;
    }),
    targets: rules.map((r) => / -j (\S+)/.exec(r)![1]!),
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** What each rule receives: p_i of what the rules before it let through. */
export function expectedShares(probs: (number | null)[]): number[] {
  let left = 1;
  return probs.map((p) => {
    const share = left * (p ?? 1);
    left -= share;
    return share;
  });
}

function splitHint(split: NonNullable<ReturnType<typeof splitRules>>): string {
  const shares = expectedShares(split.probs);
  const first = split.probs[0];
  const lead = first === null || first === undefined ? `Your first rule in ${split.chain} has no statistic match, so it takes every connection: endpoint 1 gets ~100%.` : `Your first rule in ${split.chain} has probability ${first}: endpoint 1 gets ~${pct(shares[0]!)}.`;
  const rest = split.probs.length > 1 ? ` With these rules the split is ${shares.map(pct).join(" / ")}: each rule only sees the connections the rules above it let through.` : "";
  return `${lead}${rest} For three endpoints the first rule needs 1/3, the second 1/2 of what is left, the last none.`;
}

function check(host: Host): CheckResult[] {
  const c = labs.get(host);
  if (!c) return [{ name: "The lab is exercise 6's", ok: false, detail: "This world was not made by exercise 6's setup.", hint: "Reset the lab and try again." }];
  const ips = ENDPOINTS.map((n) => podIP(c, n) ?? "");
  const t = send(c, ips);
  const split = splitRules(t.sample);
  const results: CheckResult[] = [];

  // 1. The address answers at all.
  const answered = CONNECTIONS - t.failed;
  const n1 = `${VIP}:${PORT} answers from the client pod on ${NODE}`;
  if (answered === 0) {
    const hint = t.sample?.steps.some((s) => s.kind === "nat" && s.what === "DNAT")
      ? "A DNAT happened but nothing answered: check the --to-destination addresses and port against kubectl get pods -o wide."
      : `No rule rewrote the destination: add a jump for -d ${VIP}/32 -p tcp --dport ${PORT} to the nat table's PREROUTING chain (the client's packets arrive there from the bridge), and DNAT rules in the chains it leads to.`;
    results.push({ name: n1, ok: false, detail: `None of ${CONNECTIONS} connections got an answer: ${t.lastFailure ?? "no reply"}`, hint });
  } else if (t.failed > 0) {
    results.push({ name: n1, ok: false, detail: `${t.failed} of ${CONNECTIONS} connections failed, e.g. ${t.lastFailure}`, hint: "Every rule that can be chosen must DNAT to a running endpoint's IP and port 80." });
  } else results.push({ name: n1, ok: true, detail: `All ${CONNECTIONS} connections were answered.` });

  // 2. All three endpoints used.
  const n2 = "connections reach all three endpoints (shop-1, shop-2, shop-3)";
  const unused = ENDPOINTS.filter((_, i) => t.hits[i] === 0);
  const counts = ENDPOINTS.map((n, i) => `${n} (${ips[i]}) ${t.hits[i]}`).join(", ");
  if (unused.length) {
    const hint = split ? splitHint(split) : `Write one DNAT rule per endpoint: -j DNAT --to-destination <pod IP>:${PORT}, for ${ENDPOINTS.join(", ")}.`;
    results.push({ name: n2, ok: false, detail: `Connections per endpoint: ${counts}${t.other ? `, elsewhere ${t.other}` : ""}. ${unused.join(" and ")} got none.`, hint });
  } else results.push({ name: n2, ok: true, detail: `Connections per endpoint: ${counts}.` });

  // 3. Even split.
  const n3 = `each endpoint gets ${CONNECTIONS / 3} ± ${TOLERANCE} of ${CONNECTIONS} connections`;
  const off = ENDPOINTS.map((n, i) => ({ n, got: t.hits[i]! })).filter((x) => Math.abs(x.got - CONNECTIONS / 3) > TOLERANCE);
  if (off.length) {
    results.push({ name: n3, ok: false, detail: `Measured: ${counts}. Off by more than ${TOLERANCE}: ${off.map((x) => `${x.n} ${x.got}`).join(", ")}.`, hint: split ? splitHint(split) : "Use -m statistic --mode random --probability P on every rule but the last." });
  } else results.push({ name: n3, ok: true, detail: `Measured: ${counts}.` });

  // 4. kube-proxy's rules survived (iptables-restore --noflush, not a flush of the nat table).
  const n4 = "kube-proxy's own rules still work: the kube-dns Service (10.32.0.10, TCP 53) answers the client";
  const from = netnsOf(c.node(NODE), podIP(c, "client") ?? "");
  const dns = from === undefined ? null : c.node(NODE).tracePacket({ from, proto: "tcp", dst: "10.32.0.10", dport: 53 });
  if (dns?.outcome === "reply") results.push({ name: n4, ok: true, detail: dns.summary });
  else results.push({ name: n4, ok: false, detail: `A connection to 10.32.0.10:53 failed: ${dns?.summary ?? "no client pod"}`, hint: "iptables-restore without --noflush replaces whole tables, kube-proxy's KUBE-SERVICES chain included. Load your rules with iptables-restore --noflush." });
  return results;
}

const exercise: Exercise = {
  number: 6,
  slug: "06-service-rules",
  title: "Be kube-proxy: split a Service three ways",
  starter: "rules.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    "Look at what kube-proxy wrote for a real Service first: ssh worker-1, then iptables-save -t nat | grep -A3 KUBE-SVC. Copy its shape.",
    "Rules in a chain are tried in order, and the first DNAT wins. A rule without a statistic match takes everything that reaches it.",
    "Each probability applies only to what is left: the first rule takes 1/3 of all connections, the second 1/2 of the remaining two thirds, the third takes the rest.",
    "-A SHOP-SVC -m statistic --mode random --probability 0.33333 -j SHOP-SEP-1, then --probability 0.5 for SHOP-SEP-2, then a plain -j SHOP-SEP-3.",
  ],
};

export default exercise;
