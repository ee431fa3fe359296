// Exercise 5 is honest: its checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the checks about that — found by sending packets.
import { describe, expect, it } from "vitest";
import exercise, { NODE2_SCRIPT } from "./check";
import type { CheckResult } from "../exercise";
import { failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script);
const byName = (rs: CheckResult[], prefix: string) => rs.find((r) => r.name.startsWith(prefix))!;

const BRIDGE = "red, green and blue are ports of one bridge that is up";
const RED = "red has 10.0.0.2/24 on a veth plugged into the bridge";
const GREEN = "green has 10.0.0.3/24 on a veth plugged into the bridge";
const BLUE = "blue has 10.0.0.4/24 on a veth plugged into the bridge";
const RG = "red and green can ping each other";
const RB = "red and blue can ping each other";
const GB = "green and blue can ping each other";
const BLACK = "black has 10.0.0.5/24 but reaches no one, and no one reaches it";

/** The solution with one line replaced (or removed, with an empty replacement). */
function edit(from: string, to: string): string {
  expect(solution).toContain(from);
  return solution.replace(from, to);
}

describe("exercise 5: bridge networking", () => {
  it("fails every check on the starter, each with a hint", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([BRIDGE, RED, GREEN, BLUE, RG, RB, GB, BLACK]);
    expect(failing(rs)).toEqual(rs.map((r) => r.name));
    for (const r of rs) expect(r.hint, r.name).toBeTruthy();
    expect(byName(rs, "red has").detail).toBe("red has no veth: only lo.");
    expect(byName(rs, "green has").hint).toBe("Create it: ip netns add green");
  });

  it("passes every check on the reference solution", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(byName(rs, RG).detail).toContain("Echo reply from 10.0.0.3.");
  });

  it("catches a veth left off the bridge, and only what that breaks", () => {
    const rs = grade(edit("ip link set veth-green master br0\n", ""));
    expect(failing(rs)).toEqual([BRIDGE, GREEN, RG, GB]);
    expect(byName(rs, GREEN).detail).toBe("green's veth (veth-green on the host) is not attached to a bridge.");
    expect(byName(rs, GREEN).hint).toBe("Plug it into the bridge: ip link set veth-green master br0");
    expect(byName(rs, RG).hint).toMatch(/^Fix green first/);
  });

  it("catches a missing address, with the command that adds it", () => {
    const rs = grade(edit("ip -n red addr add 10.0.0.2/24 dev eth0\n", ""));
    expect(failing(rs)).toEqual([RED, RG, RB]);
    expect(byName(rs, RED)).toMatchObject({ detail: "red has no address on 10.0.0.0/24.", hint: "ip -n red addr add 10.0.0.2/24 dev eth0" });
    expect(byName(rs, RG).detail).toMatch(/^red → 10\.0\.0\.3: No route to 10\.0\.0\.3/);
  });

  it("catches a /32 address: red is up and addressed, yet no packet gets through", () => {
    const rs = grade(edit("ip -n red addr add 10.0.0.2/24 dev eth0", "ip -n red addr add 10.0.0.2/32 dev eth0"));
    expect(failing(rs)).toEqual([RED, RG, RB]);
    expect(byName(rs, RED).detail).toBe("red has 10.0.0.2/32: with /32 the others are not on its link.");
  });

  it("catches an end left down", () => {
    const rs = grade(edit("ip -n blue link set eth0 up\n", ""));
    expect(failing(rs)).toEqual([BLUE, RB, GB]);
    expect(byName(rs, BLUE)).toMatchObject({ detail: "blue's eth0 is down.", hint: "ip -n blue link set eth0 up" });
  });

  it("catches two bridges: two switches that are not connected", () => {
    const rs = grade(edit("ip link set veth-blue master br0", "ip link add br1 type bridge\nip link set br1 up\nip link set veth-blue master br1"));
    expect(failing(rs)).toEqual([BRIDGE, RB, GB]);
    expect(byName(rs, BRIDGE).detail).toBe("red and green are on br0, but blue on br1: two bridges are two separate switches.");
    expect(byName(rs, RB).hint).toBe("red is on br0 and blue on br1: put both on the same bridge.");
  });

  it("catches black plugged into the bridge, by pinging it", () => {
    const rs = grade(solution + "ip link set veth-black master br0\nip link set veth-black up\n");
    expect(failing(rs)).toEqual([BLACK]);
    expect(byName(rs, BLACK).detail).toBe("These pings got an answer: black → red, red → black, black → green, green → black, black → blue, blue → black.");
    expect(byName(rs, BLACK).hint).toBe("veth-black is a port of br0: take it off (ip link set veth-black nomaster).");
  });

  it("does not accept a black that is isolated only because it has no address", () => {
    const rs = grade(edit("ip -n black addr add 10.0.0.5/24 dev eth0\n", ""));
    expect(failing(rs)).toEqual([BLACK]);
    expect(byName(rs, BLACK).detail).toMatch(/has no 10\.0\.0\.5\/24 on an interface that is up/);
  });

  it("grades by packets: a firewall between two pods fails their ping check alone", () => {
    const rs = grade(solution + "iptables -A FORWARD -s 10.0.0.2 -d 10.0.0.4 -j DROP\n");
    expect(failing(rs)).toEqual([RB]);
    expect(byName(rs, RB).detail).toContain("red → 10.0.0.4: Dropped in node-1 (host) by filter FORWARD DROP.");
  });

  it("starts from node-1 of a two-host lab, with node-2's pod ready and the learner's history empty", () => {
    const h = exercise.setup();
    expect(h.name).toBe("node-1");
    expect(h.history()).toEqual([]);
    expect(h.network().namespaces.map((n) => n.name)).toEqual([null]);
    expect(NODE2_SCRIPT).toContain("ip route add 10.244.1.0/24 via 192.168.56.11");
    expect(h.sh("ping -c 1 192.168.56.12").exitCode).toBe(0);
  });
});
