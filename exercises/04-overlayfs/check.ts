// Exercise 4: assemble a root filesystem from two image layers with overlayfs.
// The checks read the lab's STATE — the overlay mounts the kernel has (host.overlays(), the
// same data `findmnt` prints), which layer serves each path, the whiteout in the upper dir,
// file contents — and never the learner's script, so any correct sequence of commands passes.
import { createHost } from "../../engine/linux";
import type { Host, OverlayEntrySnapshot, OverlaySnapshot, ShResult } from "../../engine/linux";
import type { CheckResult, Exercise } from "../exercise";

export const MERGED = "/lab/merged";
export const UPPER = "/lab/upper";

/** The two layers the lab starts with: layer1 is a base image, layer2 an application layer on top of it. */
export const LAYERS: Record<"layer1" | "layer2", Record<string, string>> = {
  layer1: {
    "etc/os-release": 'PRETTY_NAME="Tiny Linux 1.0"\nID=tiny\n',
    "etc/hostname": "base\n",
    "etc/motd": "Welcome to the base image. This file should not survive.\n",
    "app/config.txt": "mode=development\n",
    "usr/bin/hello": "#!/bin/sh\necho hello from the base layer\n",
  },
  layer2: {
    "app/config.txt": "mode=production\n",
    "app/server.sh": "#!/bin/sh\necho serving on :8080\n",
  },
};

/** The merged tree the learner must produce (file → content; a null content means: gone). */
export const TARGET: Record<string, string | null> = {
  "app/config.txt": LAYERS.layer2["app/config.txt"]!,
  "app/server.sh": LAYERS.layer2["app/server.sh"]!,
  "etc/hostname": "box\n",
  "etc/motd": null,
  "etc/os-release": LAYERS.layer1["etc/os-release"]!,
  "usr/bin/hello": LAYERS.layer1["usr/bin/hello"]!,
};

const MOUNT_LINE = `mount -t overlay overlay -o lowerdir=…,upperdir=${UPPER},workdir=/lab/work ${MERGED}`;

/** The lab: a fresh host with /lab/layer1 and /lab/layer2 unpacked, as containerd would unpack two layers. */
function setup(): Host {
  const h = createHost({ seed: 4 });
  const lines = ["mkdir -p /lab"];
  for (const [layer, files] of Object.entries(LAYERS)) {
    for (const [path, content] of Object.entries(files)) {
      const full = `/lab/${layer}/${path}`;
      lines.push(`mkdir -p ${full.slice(0, full.lastIndexOf("/"))}`);
      lines.push(`printf '%s' '${content.replace(/'/g, "'\\''")}' > ${full}`);
    }
  }
  lines.push("chmod 755 /lab/layer1/usr/bin/hello /lab/layer2/app/server.sh");
  // One multi-line script: the shell does not record it in the learner's history.
  const r = h.sh(lines.join("\n") + "\n");
  if (r.exitCode !== 0) throw new Error(`exercise 4 setup failed: ${r.stderr}`);
  return h;
}

function apply(host: Host, work: string): ShResult {
  return host.sh(work.endsWith("\n") ? work : work + "\n");
}

/** A path from the mount options, made absolute the way the lab's shell most likely meant it (cwd /lab). */
function absolute(p: string): string {
  const trimmed = p.replace(/\/+$/, "") || "/";
  if (trimmed.startsWith("/")) return trimmed;
  return "/lab/" + trimmed.replace(/^\.\//, "");
}

function initialMntNs(host: Host): number {
  return host.snapshot().namespaces.find((n) => n.kind === "mnt" && n.initial)!.inode;
}

interface State {
  /** The overlay at /lab/merged the host sees, if any. */
  mount?: OverlaySnapshot;
  /** An overlay at /lab/merged that only another mount namespace sees. */
  hidden?: OverlaySnapshot;
  entry(path: string): OverlayEntrySnapshot | undefined;
  /** Content of a merged file, read from the layer that serves it. */
  merged(path: string): string | undefined;
}

function state(host: Host): State {
  const all = host.overlays().filter((o) => absolute(o.mountpoint) === MERGED);
  const hostNs = initialMntNs(host);
  const mount = all.find((o) => o.mntns === hostNs);
  const hidden = mount ? undefined : all[0];
  const entries = new Map((mount?.entries ?? []).map((e) => [e.path, e]));
  const layerDir = (i: number) => (i === -1 ? mount?.upperdir : mount?.lowerdirs[i]);
  return {
    ...(mount ? { mount } : {}),
    ...(hidden ? { hidden } : {}),
    entry: (p) => entries.get(p),
    merged(p) {
      const e = entries.get(p);
      const dir = e && !e.whiteout ? layerDir(e.servedBy) : undefined;
      return dir ? host.readFile(`${absolute(dir)}/${p}`) : undefined;
    },
  };
}

const LAYER_NAMES = ["/lab/layer1", "/lab/layer2"];

function check(host: Host): CheckResult[] {
  const s = state(host);
  const m = s.mount;
  const results: CheckResult[] = [];
  const notMounted = (name: string): CheckResult => ({ name, ok: false, detail: `${MERGED} is not an overlay mount yet, so there is nothing to inspect.`, hint: `Mount the overlay first: ${MOUNT_LINE}` });

  // 1. The mount itself.
  if (m && !m.readOnly) {
    results.push({ name: `${MERGED} is a writable overlay mount`, ok: true, detail: `findmnt ${MERGED} shows an overlay with ${m.lowerdirs.length} lowerdir(s) and upperdir ${m.upperdir}.` });
  } else if (m) {
    results.push({ name: `${MERGED} is a writable overlay mount`, ok: false, detail: `The overlay at ${MERGED} has no upperdir, so it is read-only.`, hint: `Give it a writable layer: add upperdir=${UPPER},workdir=/lab/work to the -o options (umount ${MERGED} first).` });
  } else if (s.hidden) {
    results.push({ name: `${MERGED} is a writable overlay mount`, ok: false, detail: `An overlay is mounted at ${MERGED}, but only inside mount namespace mnt:[${s.hidden.mntns}]; the host does not see it.`, hint: "Mount it from the host's own shell (not inside unshare --mount), so that findmnt on the host lists it." });
  } else {
    results.push({ name: `${MERGED} is a writable overlay mount`, ok: false, detail: `${MERGED} is not a mount point: findmnt ${MERGED} prints nothing.`, hint: `Create the directories (mkdir -p ${UPPER} /lab/work ${MERGED}), then: ${MOUNT_LINE}` });
  }

  // 2. The lowerdir order.
  const lowers = (m?.lowerdirs ?? []).map(absolute);
  const want = ["/lab/layer2", "/lab/layer1"];
  if (!m) results.push(notMounted("layer2 is stacked above layer1"));
  else if (lowers.join(":") === want.join(":")) {
    results.push({ name: "layer2 is stacked above layer1", ok: true, detail: `lowerdir=${m.lowerdirs.join(":")}: layer2 is on top, so its app/config.txt wins.` });
  } else if (lowers.join(":") === [...want].reverse().join(":")) {
    results.push({ name: "layer2 is stacked above layer1", ok: false, detail: `lowerdir=${m.lowerdirs.join(":")} puts layer1 on top, so merged app/config.txt says "${(s.merged("app/config.txt") ?? "").trim()}".`, hint: "layer2's app/config.txt must win: lowerdir order is left-to-right, leftmost on top. Swap them: lowerdir=/lab/layer2:/lab/layer1." });
  } else {
    const missing = LAYER_NAMES.filter((l) => !lowers.includes(l));
    results.push({ name: "layer2 is stacked above layer1", ok: false, detail: `lowerdir=${m.lowerdirs.join(":")}${missing.length ? `; ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing` : ""}.`, hint: "Both image layers are lowerdirs, and nothing else: lowerdir=/lab/layer2:/lab/layer1 (leftmost on top)." });
  }

  // 3. The upper layer.
  if (!m) results.push(notMounted(`Changes go to ${UPPER}`));
  else if (m.upperdir && absolute(m.upperdir) === UPPER && m.workdir && absolute(m.workdir) !== UPPER) {
    results.push({ name: `Changes go to ${UPPER}`, ok: true, detail: `upperdir=${m.upperdir}, workdir=${m.workdir}.` });
  } else {
    results.push({ name: `Changes go to ${UPPER}`, ok: false, detail: m.upperdir ? `upperdir is ${m.upperdir}, not ${UPPER}.` : "The overlay has no upperdir.", hint: `Use upperdir=${UPPER} and a separate, empty workdir on the same filesystem, e.g. workdir=/lab/work.` });
  }

  // 4. Every file of the target tree, through the merged view.
  if (!m) results.push(notMounted("The merged tree matches the target"));
  else {
    const wrong: string[] = [];
    for (const [path, content] of Object.entries(TARGET)) {
      if (content === null) continue;
      const got = s.merged(path);
      if (got !== content) wrong.push(got === undefined ? `${path} is missing` : `${path} contains "${got.trim()}"`);
    }
    results.push(
      wrong.length === 0
        ? { name: "The merged tree matches the target", ok: true, detail: `All ${Object.values(TARGET).filter((c) => c !== null).length} files in ${MERGED} have the expected content.` }
        : { name: "The merged tree matches the target", ok: false, detail: wrong.join("; ") + ".", hint: wrong.some((w) => w.startsWith("app/config.txt")) ? "app/config.txt comes from the topmost lower layer that has it: put layer2 leftmost in lowerdir." : `Compare with the target tree in the README; write files through ${MERGED}, never into the layers.` },
    );
  }

  // 5. The override: etc/hostname copied up into the upper layer.
  const host_ = s.entry("etc/hostname");
  if (!m) results.push(notMounted("etc/hostname is overridden in the upper layer"));
  else if (host_ && !host_.whiteout && host_.servedBy === -1 && s.merged("etc/hostname") === "box\n") {
    results.push({ name: "etc/hostname is overridden in the upper layer", ok: true, detail: `${UPPER}/etc/hostname says "box" and hides layer1's copy (copy-up); layer1 still says "base".` });
  } else {
    const where = host_ && !host_.whiteout ? (host_.servedBy === -1 ? "the upper layer" : `lowerdir ${m.lowerdirs[host_.servedBy]}`) : "nowhere (it is deleted)";
    results.push({ name: "etc/hostname is overridden in the upper layer", ok: false, detail: `merged etc/hostname is served by ${where}${host_ && !host_.whiteout ? ` and says "${(s.merged("etc/hostname") ?? "").trim()}"` : ""}.`, hint: `Write through the merged view and overlayfs copies the file up for you: echo box > ${MERGED}/etc/hostname` });
  }

  // 6. The deletion: a whiteout for etc/motd.
  const motd = s.entry("etc/motd");
  if (!m) results.push(notMounted("etc/motd is deleted with a whiteout"));
  else if (motd?.whiteout) {
    results.push({ name: "etc/motd is deleted with a whiteout", ok: true, detail: `${UPPER}/etc/motd is a character device 0/0 (a whiteout); merged etc/motd is gone while layer1 keeps its copy.` });
  } else if (motd) {
    results.push({ name: "etc/motd is deleted with a whiteout", ok: false, detail: `merged etc/motd still exists (served by ${motd.servedBy === -1 ? "the upper layer" : `lowerdir ${m.lowerdirs[motd.servedBy]}`}).`, hint: `Delete it through the merged view: rm ${MERGED}/etc/motd. overlayfs cannot touch the lower layer, so it records the deletion as a whiteout in ${UPPER}.` });
  } else {
    results.push({ name: "etc/motd is deleted with a whiteout", ok: false, detail: `merged etc/motd is gone, but there is no whiteout for it in ${UPPER}: the file was removed from a layer directly.`, hint: `Put /lab/layer1/etc/motd back, then delete it through ${MERGED}; the layers must stay untouched.` });
  }

  // 7. The layers themselves never change.
  const changed: string[] = [];
  for (const [layer, files] of Object.entries(LAYERS)) {
    for (const [path, content] of Object.entries(files)) {
      const got = host.readFile(`/lab/${layer}/${path}`);
      if (got !== content) changed.push(`/lab/${layer}/${path} ${got === undefined ? "is gone" : "was modified"}`);
    }
  }
  if (m) {
    // Paths the snapshot finds in a layer that the lab did not put there.
    lowers.forEach((dir, i) => {
      const name = dir.slice(dir.lastIndexOf("/") + 1) as keyof typeof LAYERS;
      const files = LAYERS[name];
      if (!files) return;
      for (const e of m.entries) {
        if (e.type !== "dir" && e.layers.includes(i) && !(e.path in files)) changed.push(`${dir}/${e.path} was added`);
      }
    });
  }
  results.push(
    changed.length === 0
      ? { name: "The image layers are unchanged", ok: true, detail: "layer1 and layer2 hold exactly what the lab unpacked: every change lives in the upper layer." }
      : { name: "The image layers are unchanged", ok: false, detail: changed.join("; ") + ".", hint: `Image layers are shared and read-only: change files only through ${MERGED}. Reset the lab to get the layers back.` },
  );
  return results;
}

const exercise: Exercise = {
  number: 4,
  slug: "04-overlayfs",
  title: "Assemble a root filesystem from two layers",
  starter: "assemble.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    "Make three empty directories next to the layers: an upper layer, a work directory and the mountpoint (mkdir -p /lab/upper /lab/work /lab/merged).",
    `The mount has this shape: ${MOUNT_LINE}. The lowerdir list is read left to right, and the leftmost layer is on top.`,
    "Which layer's app/config.txt should win? Put that layer first in lowerdir.",
    "Change files only through /lab/merged: writing a file there copies it up into the upper layer; deleting one leaves a whiteout in the upper layer.",
  ],
};

export default exercise;
