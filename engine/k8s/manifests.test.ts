// Every Kubernetes manifest the course ships is valid for a real cluster: checked against the
// upstream OpenAPI schemas (kubernetes-models, test-only) — types, required fields, and fields the
// real API does not have. Manifests are found, not listed: YAML code blocks and here-documents in
// lessons/*.mdx, and YAML files, here-documents, Markdown code blocks and manifest template
// strings anywhere under exercises/ (starters and solutions). A new lesson is checked as soon as
// it exists.
//
// A manifest that is wrong on purpose (to show an error) carries the comment line
// `# intentionally invalid`; the test then insists that it IS invalid.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MARK_INVALID = /^\s*#\s*intentionally invalid\b/m;
/** Configuration files that look like objects but are read by a program, not served by the API. */
const CONFIG_KINDS = new Set(["Config", "KubeletConfiguration", "KubeProxyConfiguration", "KubeSchedulerConfiguration", "EncryptionConfiguration"]);

export interface Found {
  /** file:line of the block the manifest came from */
  where: string;
  text: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** YAML of fenced code blocks whose language is yaml/yml. */
export function yamlFences(text: string, file: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(/^([ \t]*)(`{3,}|~{3,})[ \t]*(yaml|yml)\b[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm)) {
    const indent = m[1]!.length;
    const body = m[4]!.split("\n").map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join("\n");
    out.push({ where: `${file}:${lineOf(text, m.index!) + 1}`, text: body });
  }
  return out;
}

/** Bodies of shell here-documents (cat <<EOF | kubectl apply -f -, kubectl apply -f - <<'EOF', cat > x.yaml <<EOF). */
export function hereDocs(text: string, file: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(/<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2[^\n]*\n/g)) {
    // Only a command line starts a here-document: not prose that mentions `<<EOF` inline.
    const lineStart = text.lastIndexOf("\n", m.index!) + 1;
    if (text.slice(lineStart, m.index!).includes("`") || m[0].includes("`")) continue;
    const start = m.index! + m[0].length;
    const lines = text.slice(start).split("\n");
    const end = lines.findIndex((l) => (m[1] ? l.replace(/^\t+/, "") : l).trim() === m[3]);
    if (end < 0) continue;
    // Inside an indented Markdown/JSX block the whole document is indented: take that indent off.
    const body = lines.slice(0, end);
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    out.push({ where: `${file}:${lineOf(text, start)}`, text: body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n") });
  }
  return out;
}

/** Template literals in TypeScript that hold a manifest (no interpolation). */
export function templateManifests(text: string, file: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(/`([^`]*)`/g)) {
    const body = m[1]!;
    if (body.includes("${") || !/^\s*apiVersion:/m.test(body) || !/^\s*kind:/m.test(body)) continue;
    out.push({ where: `${file}:${lineOf(text, m.index!)}`, text: body.replace(/\\n/g, "\n") });
  }
  return out;
}

function walk(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else out.push(p);
  }
  return out;
}

export interface Manifest {
  where: string;
  object: Record<string, unknown>;
  invalidOnPurpose: boolean;
  parseError?: string;
}

/** The Kubernetes objects in found text: every YAML document with apiVersion and kind. */
export function objectsIn(found: Found[]): Manifest[] {
  const out: Manifest[] = [];
  for (const f of found) {
    const looksLikeManifest = /^\s*apiVersion:/m.test(f.text) && /^\s*kind:/m.test(f.text);
    const invalidOnPurpose = MARK_INVALID.test(f.text);
    for (const doc of parseAllDocuments(f.text)) {
      if (doc.errors.length) {
        if (looksLikeManifest) out.push({ where: f.where, object: {}, invalidOnPurpose, parseError: doc.errors[0]!.message });
        continue;
      }
      const v = doc.toJS() as unknown;
      if (!v || typeof v !== "object" || Array.isArray(v)) continue;
      const o = v as Record<string, unknown>;
      if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") continue;
      if (CONFIG_KINDS.has(o.kind)) continue;
      const items = o.kind === "List" && Array.isArray(o.items) ? (o.items as Record<string, unknown>[]) : [o];
      for (const item of items) out.push({ where: f.where, object: item, invalidOnPurpose });
    }
  }
  return out;
}

/** Every manifest of the course: lessons and exercises (starters and solutions). */
export function courseManifests(root = ROOT): Manifest[] {
  const found: Found[] = [];
  const lessons = join(root, "lessons");
  for (const file of walk(lessons).filter((p) => /\.mdx?$/.test(p))) {
    const text = readFileSync(file, "utf8");
    const rel = relative(root, file);
    found.push(...yamlFences(text, rel), ...hereDocs(text, rel));
  }
  for (const file of walk(join(root, "exercises"))) {
    const text = readFileSync(file, "utf8");
    const rel = relative(root, file);
    if (/\.ya?ml$/.test(file)) found.push({ where: rel, text });
    else if (/\.(sh|bash)$/.test(file)) found.push(...hereDocs(text, rel));
    else if (/\.mdx?$/.test(file)) found.push(...yamlFences(text, rel), ...hereDocs(text, rel));
    else if (/\.ts$/.test(file) && !/\.test\.ts$/.test(file)) found.push(...templateManifests(text, rel), ...hereDocs(text, rel));
  }
  return objectsIn(found);
}

type Validator = { prototype: { validate(this: unknown): void } };

/** The kubernetes-models class for an apiVersion/kind, or null when the real API has no such kind. */
async function modelFor(apiVersion: string, kind: string): Promise<Validator | null> {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (!/^[a-z0-9.]*$/.test(group!) || !/^v\d+\w*$/.test(version!) || !/^[A-Z]\w*$/.test(kind)) return null;
  try {
    const mod = (await import(/* @vite-ignore */ `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`)) as Record<string, Validator>;
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}

/**
 * Fields the real schema does not know. The generated validators read every property their
 * schema defines (and enumerate maps), so any key of the manifest they never touched is not in
 * the schema — what `kubectl apply` reports as `strict decoding error: unknown field`.
 */
function unknownFields(model: Validator, obj: Record<string, unknown>): string[] {
  const touched = new WeakMap<object, Set<PropertyKey> | "all">();
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if (!v || typeof v !== "object") return v;
    const target = v as object;
    let p = proxies.get(target);
    if (!p) {
      p = new Proxy(target, {
        get(t, k, r) {
          const seen = touched.get(t);
          if (seen !== "all") touched.set(t, (seen ?? new Set()).add(k));
          return wrap(Reflect.get(t, k, r));
        },
        ownKeys(t) {
          touched.set(t, "all");
          return Reflect.ownKeys(t);
        },
      });
      proxies.set(target, p);
    }
    return p;
  };
  try {
    model.prototype.validate.call(wrap(obj));
  } catch {
    // Type errors are reported by the plain validation; here only the reads matter.
  }
  const unknown: string[] = [];
  const visit = (v: unknown, path: string) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${path}[${i}]`));
    const seen = touched.get(v);
    for (const [k, x] of Object.entries(v)) {
      const child = path ? `${path}.${k}` : k;
      if (seen !== "all" && !seen?.has(k)) unknown.push(child);
      else visit(x, child);
    }
  };
  visit(obj, "");
  return unknown;
}

/** What is wrong with one manifest for a real API server (empty: nothing). */
export async function problems(m: Manifest): Promise<string[]> {
  if (m.parseError) return [`YAML: ${m.parseError}`];
  const { apiVersion, kind } = m.object as { apiVersion: string; kind: string };
  // kubernetes-models also carries long-removed versions (extensions/v1beta1 Deployments); a
  // v1.34 cluster serves beta and alpha APIs only when switched on, so the course uses GA ones.
  if (/(alpha|beta)\d*$/.test(apiVersion)) return [`apiVersion "${apiVersion}" is not served by a default Kubernetes v1.34 API server (use a GA version)`];
  const model = await modelFor(apiVersion, kind);
  if (!model) return [`no kind "${kind}" in version "${apiVersion}" in the Kubernetes API`];
  const out: string[] = [];
  try {
    model.prototype.validate.call(structuredClone(m.object));
  } catch (e) {
    out.push(String((e as Error).message));
  }
  for (const f of unknownFields(model, m.object)) out.push(`unknown field "${f}"`);
  return out;
}

describe("every manifest the course ships is valid Kubernetes", () => {
  const manifests = courseManifests();
  const name = (m: Manifest) => `${m.where} ${String(m.object.kind ?? "?")}/${String((m.object.metadata as { name?: string } | undefined)?.name ?? "?")}`;

  it.each(manifests.map((m) => [name(m), m] as const))("%s", async (_n, m) => {
    const found = await problems(m);
    if (m.invalidOnPurpose) expect(found, "marked '# intentionally invalid' but valid").not.toEqual([]);
    else expect(found).toEqual([]);
  });

  it(`scanned lessons/ and exercises/ (${manifests.length} manifests found)`, () => {
    expect(Array.isArray(manifests)).toBe(true);
  });
});

describe("the manifest checker itself", () => {
  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {memory: 128Mi}
`;
  const check = async (text: string) => Promise.all(objectsIn([{ where: "t", text }]).map(problems));

  it("accepts a correct Deployment, Service and Pod", async () => {
    const svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 80\n";
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n";
    expect(await check(`${deploy}---\n${svc}---\n${pod}`)).toEqual([[], [], []]);
  });

  it("finds a misspelt field, a missing required field, a wrong type and an unknown kind", async () => {
    expect((await check(deploy.replace("replicas: 2", "replica: 2")))[0]).toEqual(['unknown field "spec.replica"']);
    expect((await check(deploy.replace("        image: nginx:1.27\n", "        image: nginx:1.27\n        port: 80\n")))[0]).toEqual(['unknown field "spec.template.spec.containers[0].port"']);
    expect((await check(deploy.replace(/ {2}selector:\n {4}matchLabels: \{app: web\}\n/, "")))[0]!.join()).toMatch(/selector/);
    expect((await check(deploy.replace("replicas: 2", "replicas: two")))[0]!.join()).toMatch(/replicas/);
    expect((await check(deploy.replace("kind: Deployment", "kind: Deploymnt")))[0]).toEqual(['no kind "Deploymnt" in version "apps/v1" in the Kubernetes API']);
    expect((await check(deploy.replace("apps/v1", "extensions/v1beta1")))[0]).toEqual(['apiVersion "extensions/v1beta1" is not served by a default Kubernetes v1.34 API server (use a GA version)']);
    expect((await check(deploy.replace("apps/v1", "v1")))[0]).toEqual(['no kind "Deployment" in version "v1" in the Kubernetes API']);
  });

  it("finds manifests in YAML fences, here-documents and template strings, and skips non-manifests", () => {
    const mdx = [
      "Some prose.",
      "```yaml",
      deploy.trimEnd(),
      "```",
      "```yaml",
      "resources:",
      "  limits: {cpu: 500m}",
      "```",
      "```bash",
      "cat <<'EOF' | kubectl apply -f -",
      "apiVersion: v1",
      "kind: Namespace",
      "metadata:",
      "  name: dev",
      "EOF",
      "```",
      "  ```yml",
      "  apiVersion: v1",
      "  kind: ConfigMap",
      "  metadata: {name: cfg}",
      "  data: {a: b}",
      "  ```",
    ].join("\n");
    const fences = objectsIn(yamlFences(mdx, "x.mdx"));
    expect(fences.map((m) => m.object.kind)).toEqual(["Deployment", "ConfigMap"]);
    expect(objectsIn(hereDocs(mdx, "x.mdx")).map((m) => m.object.kind)).toEqual(["Namespace"]);
    const prose = "A here-document (`<<EOF`) is standard input.\n\n```bash\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\nEOF\n```\n";
    expect(objectsIn(hereDocs(prose, "p.mdx")).map((m) => [m.object.kind, m.parseError])).toEqual([["Namespace", undefined]]);
    const ts = "const M = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n`;\nconst N = `kind: ${'$'}{x}`;";
    expect(objectsIn(templateManifests(ts, "x.ts")).map((m) => m.object.kind)).toEqual(["Pod"]);
    expect(objectsIn([{ where: "k", text: "apiVersion: v1\nkind: Config\nclusters: []\n" }])).toEqual([]);
  });

  it("a manifest marked '# intentionally invalid' must really be invalid", async () => {
    const [m] = objectsIn([{ where: "t", text: `# intentionally invalid\n${deploy.replace("replicas: 2", "replica: 2")}` }]);
    expect(m!.invalidOnPurpose).toBe(true);
    expect(await problems(m!)).not.toEqual([]);
  });
});
