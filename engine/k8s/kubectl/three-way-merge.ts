// kubectl apply's three-way merge: what the manifest says now is set, what the previous apply
// said and the manifest no longer says is removed, and everything else on the live object —
// defaults, the scheduler's nodeName, tolerations an admission plugin added — stays. Lists of
// named things (containers, env, ports, volumes) merge element by element on their key, as the
// strategic merge patch does; other lists are replaced whole.

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The patch merge key of a list field, from the Kubernetes types' patchMergeKey tags. */
export function mergeKeyOf(field: string, items: Json[]): string | null {
  if (!items.every(isObj)) return null;
  const byField: Record<string, string> = {
    containers: "name",
    initContainers: "name",
    env: "name",
    volumes: "name",
    volumeMounts: "mountPath",
    imagePullSecrets: "name",
    hostAliases: "ip",
  };
  if (field === "ports") return items.some((i) => "containerPort" in (i as Obj)) ? "containerPort" : "port";
  return byField[field] ?? null;
}

/**
 * The object apply sends: `live` changed so that it says what `desired` says, minus what
 * `last` (the previous last-applied configuration) said and `desired` dropped.
 */
export function threeWayMerge(last: Json, desired: Json, live: Json, field = ""): Json {
  if (isObj(desired)) {
    const base: Obj = isObj(live) ? { ...live } : {};
    const prev = isObj(last) ? last : {};
    for (const [k, v] of Object.entries(desired)) base[k] = threeWayMerge(prev[k], v, base[k], k);
    for (const k of Object.keys(prev)) if (!(k in desired)) delete base[k];
    return base;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    const key = mergeKeyOf(field, [...desired, ...live]);
    if (!key) return desired;
    const prev = Array.isArray(last) ? (last as Obj[]) : [];
    const find = (list: Json[], id: Json) => list.find((x) => isObj(x) && x[key] === id);
    const merged = (desired as Obj[]).map((d) => threeWayMerge(find(prev, d[key]), d, find(live, d[key]), field));
    // Elements someone else added (not in any apply) stay; ones the last apply made and the
    // manifest dropped go.
    for (const l of live as Obj[]) if (!find(desired, l[key]) && !find(prev, l[key])) merged.push(l);
    return merged;
  }
  return desired;
}
