// kubectl config view | current-context | get-contexts | use-context, read from the kubeconfig
// kubectl itself uses ($KUBECONFIG, else ~/.kube/config on the control plane). `view` prints it as
// kubectl does: keys sorted, `preferences: {}` filled in, and certificate data shown as
// DATA+OMITTED (--raw shows it; --minify keeps only the current context's cluster and user).
import YAML from "yaml";
import type { CommandContext } from "../../shell/command";
import { renderTable } from "./printers";
import { toYaml } from "./yaml";

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  context?: T;
  user?: T;
}
interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named<Record<string, unknown>>[];
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[];
  "current-context"?: string;
  preferences?: Record<string, unknown>;
  users?: Named<Record<string, unknown>>[];
}

/** Credentials `config view` hides: certificate data as DATA+OMITTED, a token as REDACTED. */
const DATA_FIELDS = ["certificate-authority-data", "client-certificate-data", "client-key-data"];

function kubeconfigPath(ctx: CommandContext): string {
  return ctx.proc.env.get("KUBECONFIG") || `${ctx.proc.env.get("HOME") ?? "/root"}/.kube/config`;
}

function load(ctx: CommandContext): { path: string; config: Kubeconfig } | null {
  const path = kubeconfigPath(ctx);
  try {
    const text = ctx.kernel.resolve(ctx.proc, ctx.abs(path)).node.read?.({ proc: ctx.proc }) ?? "";
    return { path, config: (YAML.parse(text) ?? {}) as Kubeconfig };
  } catch {
    return null;
  }
}

function redact(entries: Named<Record<string, unknown>>[] | undefined, key: "cluster" | "user"): Named<Record<string, unknown>>[] {
  return (entries ?? []).map((e) => {
    const inner = { ...(e[key] ?? {}) };
    for (const f of DATA_FIELDS) if (f in inner) inner[f] = "DATA+OMITTED";
    if ("token" in inner) inner.token = "REDACTED";
    return { ...e, [key]: inner };
  });
}

/** The config subcommands; returns the exit status. */
export function configCommand(ctx: CommandContext, args: string[], flags: { minify: boolean; raw: boolean; output?: string }): number {
  const [sub, ...rest] = args;
  const loaded = load(ctx);
  const config: Kubeconfig = loaded?.config ?? {};
  const current = config["current-context"] ?? "";
  switch (sub) {
    case "current-context":
      if (!current) {
        ctx.err("error: current-context is not set\n");
        return 1;
      }
      ctx.out(`${current}\n`);
      return 0;
    case "get-contexts": {
      const rows = (config.contexts ?? [])
        .filter((c) => !rest.length || rest.includes(c.name))
        .map((c) => [c.name === current ? "*" : "", c.name, c.context?.cluster ?? "", c.context?.user ?? "", c.context?.namespace ?? ""]);
      ctx.out(renderTable({ header: ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows }));
      return 0;
    }
    case "use-context": {
      const name = rest[0];
      if (!name || !(config.contexts ?? []).some((c) => c.name === name)) {
        ctx.err(`error: no context exists with the name: "${name ?? ""}"\n`);
        return 1;
      }
      if (!loaded) return 1;
      const next = { ...config, "current-context": name };
      ctx.kernel.writeFile(ctx.proc, ctx.abs(loaded.path), YAML.stringify(next));
      ctx.out(`Switched to context "${name}".\n`);
      return 0;
    }
    case "view": {
      let view: Kubeconfig = { apiVersion: config.apiVersion ?? "v1", kind: config.kind ?? "Config", preferences: config.preferences ?? {}, clusters: config.clusters ?? [], contexts: config.contexts ?? [], users: config.users ?? [], "current-context": current };
      if (flags.minify) {
        const ctxEntry = (config.contexts ?? []).find((c) => c.name === current);
        view = { ...view, contexts: ctxEntry ? [ctxEntry] : [], clusters: (config.clusters ?? []).filter((c) => c.name === ctxEntry?.context?.cluster), users: (config.users ?? []).filter((u) => u.name === ctxEntry?.context?.user) };
      }
      if (!flags.raw) view = { ...view, clusters: redact(view.clusters, "cluster"), users: redact(view.users, "user") };
      if (flags.output === "json") ctx.out(JSON.stringify(view, null, 4) + "\n");
      else ctx.out(toYaml(view));
      return 0;
    }
    default:
      ctx.err(sub ? `error: unknown command "${sub}" for "kubectl config"\n` : "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\nAvailable Commands:\n  current-context   Display the current-context\n  get-contexts      Describe one or many contexts\n  use-context       Set the current-context in a kubeconfig file\n  view              Display merged kubeconfig settings or a specified kubeconfig file\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n");
      return sub ? 1 : 0;
  }
}
