// The closing line CI reads: `N passed, N failed` (`, N skipped` when any were skipped),
// counting individual tests. It prints nothing else and changes no exit code: vitest's own
// reporter (listed before this one) prints the details, and vitest decides the exit status.
import type { Reporter, SerializedError, TestModule } from "vitest/node";

export function summaryLine(counts: { passed: number; failed: number; skipped: number }): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") (counts.failed++, failedHere++);
        else if (state === "skipped") counts.skipped++;
      }
      // A file that failed to load (syntax error, failing beforeAll/import) has no failed
      // test to count; it still is a failure, so it counts as one.
      if (failedHere === 0 && mod.state() === "failed") counts.failed++;
    }
    // Errors outside any test (an unhandled rejection, a crashed worker) fail the run too.
    counts.failed += unhandledErrors.length;
    process.stdout.write(summaryLine(counts) + "\n");
  }
}
