// Container images as they really are: an ordered list of filesystem layers (each a set of
// file changes, addressed by the sha256 of its content) plus a config that says what to run.
// Not a VM disk: a layer never contains a kernel.
import { sha256Hex } from "../../sim/sha256";

export type LayerEntry =
  | { kind: "dir"; mode?: number }
  | { kind: "file"; content: string; mode?: number; program?: string; size?: number }
  | { kind: "symlink"; target: string }
  /** Deleting a file in a later layer is recorded as a whiteout (.wh.NAME in the tar). */
  | { kind: "whiteout" };

export interface Layer {
  /** "sha256:…" of the layer's (uncompressed) content: same files → same digest → stored once. */
  digest: string;
  /** The Dockerfile step that made it (docker history's CREATED BY). */
  createdBy: string;
  files: Map<string, LayerEntry>;
  /** Bytes on disk once unpacked. */
  size: number;
}

export interface ImageConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Env: string[];
  WorkingDir: string;
  ExposedPorts?: string[];
}

export interface Image {
  /** Fully qualified reference, e.g. docker.io/library/nginx:1.27 */
  ref: string;
  layers: Layer[];
  config: ImageConfig;
  configDigest: string;
  manifestDigest: string;
  size: number;
}

/**
 * Build a layer from a file list; its digest is computed from the entries, in path order.
 * Digests are computed on first read: the registry defines every image when its module loads,
 * and hashing them all then would cost each cold page the sha256 of images it never pulls.
 */
export function layer(createdBy: string, files: Record<string, LayerEntry>): Layer {
  const map = new Map(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = JSON.stringify([...map]);
  let size = 0;
  for (const e of map.values()) size += e.kind === "file" ? (e.size ?? e.content.length) : e.kind === "dir" ? 4096 : 0;
  let digest: string | undefined;
  return {
    get digest() {
      return (digest ??= `sha256:${sha256Hex(canonical)}`);
    },
    createdBy,
    files: map,
    size,
  };
}

export function image(ref: string, layers: Layer[], config: ImageConfig): Image {
  let configDigest: string | undefined;
  let manifestDigest: string | undefined;
  const configOf = () => (configDigest ??= `sha256:${sha256Hex(JSON.stringify({ config, rootfs: layers.map((l) => l.digest) }))}`);
  return {
    ref,
    layers,
    config,
    get configDigest() {
      return configOf();
    },
    get manifestDigest() {
      return (manifestDigest ??= `sha256:${sha256Hex(JSON.stringify({ config: configOf(), layers: layers.map((l) => l.digest) }))}`);
    },
    size: layers.reduce((s, l) => s + l.size, 0),
  };
}

/** docker.io/library/nginx:latest from "nginx", as containerd's reference parser normalises it. */
export function normaliseRef(name: string): string {
  let ref = name;
  if (!/[:@]/.test(ref.split("/").pop() ?? "")) ref += ":latest";
  const first = ref.split("/")[0]!;
  if (!ref.includes("/")) return `docker.io/library/${ref}`;
  if (!first.includes(".") && !first.includes(":") && first !== "localhost") return `docker.io/${ref}`;
  return ref;
}

export function shortDigest(d: string): string {
  return d.replace(/^sha256:/, "").slice(0, 12);
}
