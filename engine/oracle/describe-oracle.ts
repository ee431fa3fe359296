// The shape every differential test shares: the engine's outcome keys against the ones a real
// kernel recorded, every "+ command" accepted as typed, and — where the machine allows —
// a live run of the scenario on this kernel. Test-only (imports vitest).
import { describe, expect, it } from "vitest";
import { createHost } from "../index";
import { expectedOutcomes, runReal, scenarioCommands } from "./oracle";

export function describeOracle(name: string, engineOutcomes: () => Map<string, string>, opts: { seed?: number } = {}): void {
  describe(`oracle ${name}: the engine matches a real kernel`, () => {
    const expected = expectedOutcomes(name);
    const engine = engineOutcomes();

    it.skipIf(!expected)("every outcome key recorded on a real kernel matches the engine", () => {
      for (const [k, v] of expected!) expect.soft(`${k}=${engine.get(k)}`).toBe(`${k}=${v}`);
    });

    it("every + command of the scenario is accepted exactly as typed", () => {
      const h = createHost({ seed: opts.seed ?? 1 });
      const commands = scenarioCommands(name);
      expect(commands.length).toBeGreaterThan(0);
      // Accepted = understood: no unknown command, option or syntax. (A step may still fail in
      // isolation when the scenario prepared its state with plain, unrecorded shell lines.)
      for (const c of commands) expect.soft(h.sh(c).stderr, c).not.toMatch(/command not found|unrecognized option|invalid option|syntax error|Try '.+ --help'|^Usage:|is unknown/m);
    });

    const real = runReal(name);
    if (!real.ran) it.skip(`real kernel side skipped: ${real.reason}`, () => {});
    else
      it("this machine's kernel agrees with the engine", () => {
        for (const [k, v] of real.outcomes) expect.soft(`${k}=${engine.get(k)}`).toBe(`${k}=${v}`);
      });
  });
}
