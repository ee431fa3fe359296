// Broken manifests: YAML errors name their line as kubectl (go-yaml) does; schema errors are the
// API server's; either way nothing is stored.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

const GOOD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n";

describe("manifest errors", () => {
  const c = createCluster({ workers: 1, seed: 1 });
  const apply = (text: string, file = "web.yaml") => {
    c.sh(`cat > ${file}`, { stdin: text });
    const rev = c.etcd.revision;
    const r = c.sh(`kubectl apply -f ${file}`);
    return { ...r, changed: c.etcd.revision !== rev };
  };
  const yamlError = (line: string) => `error: error parsing web.yaml: error converting YAML to JSON: yaml: ${line}\n`;

  it.each([
    ["a value after a value (key: key: value)", "apiVersion: v1\nkind: Pod\nmetadata: name: web\n", "line 3: mapping values are not allowed in this context"],
    ["a tab as indentation", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n", "line 4: found character that cannot start any token"],
    ["a key without its colon", "apiVersion: v1\nkind Pod\nmetadata:\n  name: web\n", "line 2: could not find expected ':'"],
    ["an unterminated quote", 'apiVersion: v1\nkind: "Pod\nmetadata:\n  name: web\n', "line 5: found unexpected end of stream"],
    ["a list item out of line", GOOD.replace("    image: nginx:1.27\n", "    image: nginx:1.27\n   - name: b\n"), "line 9: did not find expected '-' indicator"],
    ["a duplicated key", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  name: web2\n", 'unmarshal errors:\n  line 5: key "name" already set in map'],
  ])("%s", (_what, text, message) => {
    const r = apply(text);
    expect(r.stderr).toBe(yamlError(message));
    expect(r.exitCode).toBe(1);
    expect(r.changed).toBe(false);
  });

  it("unknown fields and wrong types are the API server's strict decoding errors; nothing is stored", () => {
    const unknown = apply(GOOD.replace("    image: nginx:1.27\n", "    image: nginx:1.27\n    imagePullPolicy: Always\n    port: 80\n"));
    expect(unknown.stderr).toBe('Error from server (BadRequest): error when creating "web.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].port"\n');
    expect(unknown.changed).toBe(false);
    const typed = apply(GOOD.replace("  name: web\n", "  name: web\n  labels: [app]\n"));
    expect(typed.stderr).toContain("cannot unmarshal array into Go struct field");
    expect(typed.changed).toBe(false);
    const invalid = apply(GOOD.replace("name: web", "name: Web_1"));
    expect(invalid.stderr).toMatch(/^The Pod "Web_1" is invalid: metadata\.name: Invalid value: "Web_1": /);
    expect(invalid.changed).toBe(false);
    expect(c.api.list("Pod", "default")).toHaveLength(0);
  });

  it("a good manifest after all that still applies", () => {
    expect(apply(GOOD)).toMatchObject({ stdout: "pod/web created\n", exitCode: 0, changed: true });
  });
});
