// kubectl get events as its table, --field-selector, --no-headers and -L label columns.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { KEvent } from "../api/events";

function setup() {
  const c = createCluster({ workers: 2, seed: 1 });
  c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2");
  c.settle();
  return c;
}

describe("kubectl get events", () => {
  it("prints LAST SEEN, TYPE, REASON, OBJECT, MESSAGE in the API server's (name) order", () => {
    const c = setup();
    const [header, ...rows] = c.sh("kubectl get events").stdout.trimEnd().split("\n");
    expect(header).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    const events = c.api.list<KEvent>("Event", "default");
    expect(rows).toHaveLength(events.length);
    rows.forEach((r, i) => {
      const e = events[i]!;
      expect(r.split(/ {3,}/)).toEqual([expect.stringMatching(/^\d+s$/), e.type, e.reason, `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`, e.message]);
    });
  });

  it("-A adds NAMESPACE; --field-selector filters on involvedObject; bad fields are the server's BadRequest", () => {
    const c = setup();
    const all = c.sh("kubectl get events -A").stdout;
    expect(all.split("\n")[0]).toMatch(/^NAMESPACE +LAST SEEN +TYPE/);
    expect(all).toMatch(/\nkube-system +\d+s +Normal +ScalingReplicaSet +deployment\/coredns /);
    const rs = c.sh("kubectl get ev --field-selector involvedObject.kind=ReplicaSet,reason=SuccessfulCreate").stdout.trimEnd().split("\n");
    expect(rs.slice(1)).toHaveLength(2);
    expect(rs.slice(1).every((r) => /SuccessfulCreate +replicaset\/web-/.test(r))).toBe(true);
    const web = c.sh("kubectl get ev --field-selector involvedObject.name=web").stdout;
    expect(web).toMatch(/ScalingReplicaSet +deployment\/web +Scaled up replica set web-\w+ from 0 to 2\n$/);
    const bad = c.sh("kubectl get ev --field-selector foo=bar");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe('Error from server (BadRequest): Unable to find {"" "v1" "events"} that match label selector "", field selector "foo=bar": field label not supported: foo\n');
    expect(c.sh("kubectl get ev --field-selector foo").stderr).toBe("error: invalid selector: 'foo'; can't understand 'foo'\n");
  });
});

describe("get table flags", () => {
  it("--no-headers drops the header and sizes columns from the rows alone", () => {
    const c = setup();
    const lines = c.sh("kubectl get pods --no-headers").stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => /^web-\w+-\w+ {3}1\/1 {3}Running {3}0 {3}\d+s$/.test(l))).toBe(true);
  });

  it("-L adds a column per label key (last path segment, upper case) before --show-labels' LABELS", () => {
    const c = setup();
    c.sh("kubectl label pods -l app=web example.com/tier=front");
    const [header, row] = c.sh("kubectl get pods -L app -L example.com/tier,missing --show-labels").stdout.split("\n");
    expect(header).toMatch(/ AGE +APP +TIER +MISSING +LABELS$/);
    expect(row).toMatch(/ web +front +app=web,example.com\/tier=front,pod-template-hash=\w+$/);
  });
});

describe("get -w with table flags", () => {
  it("-L and --no-headers apply to the watch's rows too", () => {
    const c = setup();
    const out = c.sh("kubectl get pods -w --no-headers -L app --request-timeout=2s").stdout.trimEnd().split("\n");
    expect(out).toHaveLength(2);
    expect(out.every((l) => /^web-\w+-\w+ +1\/1 +Running +0 +\d+s +web$/.test(l))).toBe(true);
  });
});
