// Image and layer digests are computed on first read (the registry defines every image when its
// module loads). A digest must not depend on when, or in which order, it is first read.
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../sim/sha256";
import { image, layer } from "./image";
import { IMAGES } from "./registry";

const files = () => ({ "/b": { kind: "file", content: "two\n" }, "/a": { kind: "dir" } }) as const;

describe("content digests", () => {
  it("a layer's digest is the sha256 of its entries in path order", () => {
    const l = layer("ADD . /", files());
    expect(l.digest).toBe(`sha256:${sha256Hex(JSON.stringify([["/a", { kind: "dir" }], ["/b", { kind: "file", content: "two\n" }]]))}`);
    expect(layer("ADD . /", files()).digest).toBe(l.digest);
  });

  it("config and manifest digests are the same whichever is read first", () => {
    const config = { Entrypoint: null, Cmd: ["sh"], Env: [], WorkingDir: "/" };
    const a = image("example/x:1", [layer("ADD . /", files())], config);
    const b = image("example/x:1", [layer("ADD . /", files())], config);
    const manifestFirst = a.manifestDigest;
    const configFirst = b.configDigest;
    expect(b.manifestDigest).toBe(manifestFirst);
    expect(a.configDigest).toBe(configFirst);
    expect(configFirst).toBe(`sha256:${sha256Hex(JSON.stringify({ config, rootfs: [a.layers[0]!.digest] }))}`);
    expect(manifestFirst).toBe(`sha256:${sha256Hex(JSON.stringify({ config: configFirst, layers: [a.layers[0]!.digest] }))}`);
  });

  it("a spread copy of an image (\":latest\" lookups make one) carries the same digests", () => {
    const img = IMAGES[0]!;
    const copy = { ...img, ref: "x" };
    expect(copy.manifestDigest).toBe(img.manifestDigest);
    expect(copy.configDigest).toBe(img.configDigest);
    expect(img.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
