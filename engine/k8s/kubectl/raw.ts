// kubectl get --raw PATH: the HTTP GET that every kubectl verb is made of, with the path the
// API server serves (/api/v1/namespaces/default/pods, /apis/apps/v1/…/deployments/web) and the
// JSON body it answers, printed as is. It shows that kubectl is only a REST client.
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import { reportApiError } from "./api-error";
import type { KindInfo } from "../api/kinds";
import { KINDS } from "../api/kinds";
import type { KObject } from "../api/types";

const NOT_FOUND = "Error from server (NotFound): the server could not find the requested resource\n";

/** The kind a REST path segment "<group>/<version>" + "<resource>" names. */
function kindAt(groupVersion: string, resource: string): KindInfo | undefined {
  return KINDS.find((k) => k.apiVersion === groupVersion && k.resource === resource);
}

/** A list body: the API server drops kind/apiVersion from the items and names the list's kind. */
function listBody(k: KindInfo, items: KObject[], revision: number): string {
  const bare = items.map(({ kind: _k, apiVersion: _v, ...rest }) => rest);
  return JSON.stringify({ kind: `${k.kind}List`, apiVersion: k.apiVersion, metadata: { resourceVersion: String(revision) }, items: bare });
}

export function getRaw(ctx: CommandContext, c: ClusterContext, rawPath: string): number {
  const path = rawPath.split("?")[0]!.replace(/\/+$/, "");
  if (path === "/healthz" || path === "/livez" || path === "/readyz") {
    ctx.out("ok");
    return 0;
  }
  // /api/v1/… (the core group) or /apis/<group>/<version>/…
  const parts = path.split("/").filter(Boolean);
  let gv: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1] === "v1") [gv, rest] = ["v1", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length >= 3) [gv, rest] = [`${parts[1]}/${parts[2]}`, parts.slice(3)];
  else {
    ctx.err(NOT_FOUND);
    return 1;
  }
  let namespace: string | undefined;
  // /namespaces/<ns>/<resource>[/<name>] — but /namespaces and /namespaces/<ns> name Namespace objects.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, ...extra] = rest;
  const k = resource ? kindAt(gv, resource) : undefined;
  if (!k || extra.length || (namespace !== undefined && !k.namespaced)) {
    ctx.err(NOT_FOUND);
    return 1;
  }
  try {
    if (name) {
      // A namespaced object has no path outside its namespace.
      if (k.namespaced && namespace === undefined) {
        ctx.err(NOT_FOUND);
        return 1;
      }
      ctx.out(JSON.stringify(c.api.get(k.kind, namespace, name)) + "\n");
      return 0;
    }
    ctx.out(listBody(k, c.api.list(k.kind, namespace), c.api.etcd.revision) + "\n");
    return 0;
  } catch (e) {
    return reportApiError(ctx, e);
  }
}
