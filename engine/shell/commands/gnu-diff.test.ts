// Differential test: each line runs through the real GNU tool on this machine (bash -c, LC_ALL=C,
// in a scratch directory holding the same files) and through the simulated host; stdout and
// the exit status must match, and stderr too for the cases marked `err`. awk lines must give the
// same answer under gawk and mawk (the one-true-awk-compatible subset we claim); a line the
// two disagree on fails here as a bad case, not as a bug in the engine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const FILES: Record<string, string> = {
  "pods.txt": "NAME READY STATUS RESTARTS AGE\nweb-1 1/1 Running 0 5m\nweb-2 1/1 Running 3 5m\ndb-0 0/1 Pending 0 1m\ncache-9 1/1 Running 12 9m\n",
  "nums.txt": "3\n10\n7\n10\n250\n",
  "words.txt": "apple\napple\nBanana\nbanana\ncherry\napple\n",
  "csv.txt": "name,cpu,mem\nweb,100,128\ndb,250,512\ncache,50,64\n",
  "nonl.txt": "one\ntwo",
};

type Case = { line: string; stdin?: string; err?: boolean };
const P = "pods.txt";
const CASES: Record<string, Case[]> = {
  sed: [
    { line: `sed -n 2p ${P}` },
    { line: `sed -n '2,3p' ${P}` },
    { line: `sed -n '$p' ${P}` },
    { line: `sed '1d' ${P}` },
    { line: `sed 's/Running/Up/' ${P}` },
    { line: `sed 's/1/X/2' ${P}` },
    { line: `sed 's/1/X/2g' ${P}` },
    { line: `sed -n 's/web/WEB/p' ${P}` },
    { line: `sed 's/running/up/I' ${P}` },
    { line: `sed -E 's/([a-z]+)-([0-9])/\\2:\\1/' ${P}` },
    { line: `sed 's/\\([a-z]*\\)-\\([0-9]\\)/\\2:\\1/' ${P}` },
    { line: `sed 's|/|of|g' ${P}` },
    { line: `sed 's/[0-9]*m$/& ago/' ${P}` },
    { line: `sed 's/[[:digit:]]\\+/N/g' ${P}` },
    { line: `sed '/Pending/d' ${P}` },
    { line: `sed '/Pending/!d' ${P}` },
    { line: `sed -n '/web-1/,/db/p' ${P}` },
    { line: `sed -n '2,/Running/p' ${P}` },
    { line: `sed -n '0,/Running/p' ${P}` },
    { line: `sed '2q' ${P}` },
    { line: `sed '2q5' ${P}` },
    { line: `sed -n '$=' ${P}` },
    { line: `sed = nums.txt` },
    { line: `sed '2i\\inserted' nums.txt` },
    { line: `sed '2a appended' nums.txt` },
    { line: `sed '$a\\' nonl.txt` },
    { line: `sed '2,3c\\changed' nums.txt` },
    { line: `sed -e 's/a/A/' -e 's/p/P/g' words.txt` },
    { line: `sed 's/a/A/;s/e/E/' words.txt` },
    { line: "sed '1~2d' nums.txt" },
    { line: "sed -n '2,+1p' nums.txt" },
    { line: "sed -n '/3/,~4p' nums.txt" },
    { line: "sed -n '/10/{p;=}' nums.txt" },
    { line: "sed '$!N;s/\\n/ /' nums.txt" },
    { line: "sed -n 'h;n;G;p' nums.txt" },
    { line: "sed ':a;N;$!ba;s/\\n/,/g' nums.txt" },
    { line: "sed 'y/abc/ABC/' words.txt" },
    { line: "sed -E 's/(b|c)/[\\1]/g' words.txt" },
    { line: "sed 's/x*/-/g' nums.txt" },
    { line: "sed 's/\\(.\\)/\\U\\1/' words.txt" },
    { line: "sed p nonl.txt" },
    { line: "sed -n l csv.txt" },
    { line: "sed '/apple/s//pear/' words.txt" },
    { line: "sed -s -n '$p' nums.txt words.txt" },
    { line: "sed 's/1/one/;t;s/$/ (no 1)/' nums.txt" },
    { line: "sed 'n;d' nums.txt" },
    { line: "sed '$!{h;d};x;G' nums.txt" },
    { line: "sed -n '/^a/Ip' words.txt" },
    { line: "sed 's/a/b/' -", stdin: "banana\n" },
    { line: "sed 's/a/b'", err: true },
    { line: "sed 's/a/b/x'", err: true },
    { line: "sed k", err: true },
    { line: "sed '/x'", err: true },
    { line: "sed 'p x'", err: true },
    { line: "sed '}'", err: true },
    { line: "sed '{p'", err: true },
    { line: "sed 's/a/b/gg'", err: true },
    { line: "sed 's/a/\\1/'", err: true },
    { line: "sed 'y/ab/c/'", err: true },
    { line: "sed '1,p'", err: true },
    { line: "sed 0p", err: true },
    { line: "sed '3q;5'", err: true },
    { line: "sed 'b foo'", err: true },
    { line: "sed -e p -e 's/a'", err: true },
    { line: "sed 's/\\(a/b/'", err: true },
    { line: "sed p nosuch.txt nums.txt", err: true },
    { line: "sed -i s/a/b/", err: true },
  ],
  tr: [
    { line: "tr a-z A-Z < words.txt" },
    { line: "tr '[:lower:]' '[:upper:]' < words.txt" },
    { line: "tr -d '\\n' < nums.txt" },
    { line: "tr -s ' ' < pods.txt" },
    { line: "tr -s 'p' < words.txt" },
    { line: "tr -c 'a-z\\n' '_' < pods.txt" },
    { line: "tr -cd '[:digit:]\\n' < pods.txt" },
    { line: "tr abc x < words.txt" },
    { line: "tr -t abc x < words.txt" },
    { line: "tr 'a-c' 'A-' < words.txt" },
    { line: "tr '[:space:]' '\\t' < pods.txt" },
    { line: "tr -ds a 'p' < words.txt" },
    { line: "tr '0-9' '[x*]' < nums.txt" },
    { line: "tr ',' '\\n' < csv.txt" },
    { line: "tr", err: true },
    { line: "tr a", err: true },
    { line: "tr -d a b", err: true },
    { line: "tr a b c", err: true },
    { line: "tr z-a x", err: true },
    { line: "tr a ''", err: true },
    { line: "tr '[:foo:]' x", err: true },
    { line: "tr a '[:digit:]'", err: true },
    { line: "tr -ds a", err: true },
    { line: "tr -q a b", err: true },
  ],
  awk: [
    { line: `awk '{print $1}' ${P}` },
    { line: `awk 'NR>1 {print $1, $3}' ${P}` },
    { line: `awk '$4 > 2' ${P}` },
    { line: `awk '$3 == "Running" {n++} END {print n}' ${P}` },
    { line: `awk 'NR==2' ${P}` },
    { line: `awk '/web/ {print NR": "$0}' ${P}` },
    { line: `awk '{print NF, $NF}' ${P}` },
    { line: `awk -F, '{print $2}' csv.txt` },
    { line: `awk -F, 'NR>1 {s += $2} END {print s, s/(NR-1)}' csv.txt` },
    { line: `awk -F'[,]' -v OFS=: '{print $1, $3}' csv.txt` },
    { line: `awk -v limit=100 -F, 'NR>1 && $2 >= limit {print $1}' csv.txt` },
    { line: `awk '{c[$3]++} END {for (k in c) print k, c[k]}' ${P} | sort` },
    { line: `awk '{printf "%-8s|%5.1f|%03d\\n", $1, $4, NR}' ${P}` },
    { line: `awk 'BEGIN {x = 7; y = 2; print x/y, x%y, x^y, -x, x++ + ++x, x}'` },
    { line: `awk 'BEGIN {print length("kube"), substr("kubernetes", 5), substr("kubernetes", 1, 4), toupper("ab"), tolower("CD")}'` },
    { line: `awk 'BEGIN {n = split("a:b:c", parts, ":"); print n, parts[1], parts[3]}'` },
    { line: `awk '{gsub(/[0-9]/, "#"); print}' ${P}` },
    { line: `awk '{n = sub(/e/, "E", $1); print n, $0}' ${P}` },
    { line: `awk '{if ($4 > 2) print $1, "restarts"; else print $1, "ok"}' ${P}` },
    { line: `awk 'NR == 1 {next} {print $2}' ${P}` },
    { line: `awk '{$2 = "X"; print}' ${P}` },
    { line: `awk 'BEGIN {OFS="-"} {$1 = $1; print}' ${P}` },
    { line: `awk 'END {print NR}' ${P}` },
    { line: `awk '{print length}' words.txt` },
    { line: `awk '$1 ~ /^b/ {print}' words.txt` },
    { line: `awk '$1 !~ /a/' words.txt` },
    { line: `awk '!seen[$0]++' words.txt` },
    { line: `awk 'BEGIN {for (i = 1; i <= 3; i++) s = s i; print s}'` },
    { line: `awk 'BEGIN {i = 0; while (i < 3) {i++; if (i == 2) continue; print i}}'` },
    { line: `awk 'BEGIN {printf "%s %d %5.2f %x %o %c %e %g\\n", "s", 42.9, 3.14159, 255, 8, 65, 12345.678, 0.0001}'` },
    { line: `awk '{print $1 > "out.txt"} END {print "done"}' nums.txt; cat out.txt` },
    { line: `awk 'BEGIN {print 1 == 1.0, "10" < "9", 10 < 9, "a" < "b"}'` },
    { line: `awk '{print ($1 > 5) ? "big" : "small"}' nums.txt` },
    { line: `awk '{s = s $1 ","} END {print s}' nums.txt` },
    { line: `awk 'BEGIN {a["x"] = 1; if ("x" in a) print "yes"; delete a["x"]; if (!("x" in a)) print "gone"}'` },
    { line: `awk -F: '{print $1}'`, stdin: "root:x:0\nbin:x:1\n" },
    { line: `awk '{print $2}' FS=, csv.txt` },
    { line: `awk 'NR%2' nums.txt` },
    { line: `awk '{ $3 = ""; print NF }' ${P}` },
    { line: `awk 'BEGIN { exit 3 } END { print "end" }'` },
    { line: `awk '{ print; exit }' nums.txt` },
    { line: `awk 'BEGIN { print index("kubelet", "let"), int(3.9), int(-3.9) }'` },
    { line: `awk 'BEGIN { print match("pod-123", /[0-9]+/), RSTART, RLENGTH }'` },
    { line: `awk 'BEGIN { s = sprintf("%05.1f", 3.14159); print s }'` },
    { line: `awk 'BEGIN { print 0.1 + 0.2, 1e6, 1000 * 1000, 1/3 }'` },
    { line: `awk '{ print NR, FNR, FILENAME }' nums.txt words.txt` },
    { line: `awk 'BEGIN { print "a" "b", 1 " " 2 }'` },
    { line: `awk '/apple/,/banana/' words.txt` },
    { line: `awk '{ $0 = toupper($0); print $1 }' words.txt` },
    { line: `awk 'BEGIN { printf "%d%%\\n", 50 }'` },
    { line: `awk '{ sum[$1] += $2 } END { for (k in sum) print k, sum[k] }' | sort`, stdin: "a 1\nb 2\na 3\n" },
    { line: `awk '{ print $(NF-1) }' ${P}` },
    { line: `awk 'BEGIN { x["a"]; print length(x) }'` },
    { line: `awk 'BEGIN { printf "[%5s][%-5s][%.2s]\\n", "ab", "ab", "abcdef" }'` },
    { line: `awk 'length($0) > 5' words.txt` },
    { line: `awk 'BEGIN { do { i++ } while (i < 5); print i }'` },
    { line: `awk '{ print }' nosuch.txt` },
  ],
  xargs: [
    { line: "xargs < nums.txt" },
    { line: "xargs -n 2 < nums.txt" },
    { line: "xargs -n1 echo item < words.txt" },
    { line: "xargs -I {} echo '<{}>' < words.txt" },
    { line: "xargs echo", stdin: "a 'b c' \"d e\" f\\ g\n" },
    { line: "xargs -0 -n1 echo", stdin: "a b\0c\0" },
    { line: "xargs -r echo hi", stdin: "" },
    { line: "xargs echo hi", stdin: "" },
    { line: "xargs -L 2 echo < nums.txt" },
    { line: "xargs -t echo < nums.txt", err: true },
    { line: "xargs sh -c 'exit 3'", stdin: "x\n" },
    { line: "xargs nosuchcmd", stdin: "x\n", err: true },
    { line: "xargs -n x", err: true },
    { line: "xargs -n 0", err: true },
    { line: "xargs", stdin: "a'b\n", err: true },
    { line: "xargs -d , -n1 echo", stdin: "a,b,c" },
  ],
  tee: [
    { line: "tee t1.txt t2.txt < nums.txt > /dev/null; cat t1.txt t2.txt" },
    { line: "tee -a t3.txt < nums.txt > /dev/null; tee -a t3.txt < words.txt; cat t3.txt" },
    { line: "tee < words.txt" },
    { line: "tee nodir/x < nums.txt", err: true },
    { line: "tee -z", err: true },
  ],
  uniq: [
    { line: "uniq words.txt" },
    { line: "uniq -c words.txt" },
    { line: "uniq -d words.txt" },
    { line: "uniq -u words.txt" },
    { line: "uniq -i words.txt" },
    { line: "uniq -ci words.txt" },
    { line: "sort words.txt | uniq -c | sort -rn" },
    { line: "uniq nonl.txt" },
    { line: "uniq nosuch.txt", err: true },
    { line: "uniq a b c", err: true },
    { line: "uniq -k", err: true },
  ],
  seq: [
    { line: "seq 5" },
    { line: "seq 2 4" },
    { line: "seq 10 -3 1" },
    { line: "seq 0 0.25 1" },
    { line: "seq -w 8 11" },
    { line: "seq -w -3 2" },
    { line: "seq -s , 5" },
    { line: "seq -s ' + ' 3" },
    { line: "seq 5 1" },
    { line: "seq 1.5 3" },
    { line: "seq 1e1 5e0 3e1" },
    { line: "seq -f 'node-%02g' 3" },
    { line: "seq", err: true },
    { line: "seq x", err: true },
    { line: "seq 1 0 5", err: true },
    { line: "seq 1 2 3 4", err: true },
    { line: "seq -s", err: true },
  ],
};

/** The same line under the real tools: every file in a fresh scratch directory. */
function real(line: string, stdin: string): { stdout: string; stderr: string; exitCode: number } {
  const dir = mkdtempSync(join(tmpdir(), "gnu-diff-"));
  for (const [f, t] of Object.entries(FILES)) writeFileSync(join(dir, f), t);
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", line], { cwd: dir, input: stdin, env: { PATH: process.env.PATH, LC_ALL: "C" }, encoding: "utf8" });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
}

function simulated(line: string, stdin: string) {
  const h = createHost({ seed: 1 });
  h.sh("mkdir -p /tmp/d");
  for (const [f, t] of Object.entries(FILES)) h.sh(`cat > /tmp/d/${f}`, { stdin: t });
  h.sh("cd /tmp/d");
  return h.sh(line, { stdin });
}

const count = Object.values(CASES).reduce((n, c) => n + c.length, 0);

describe(`GNU differential: ${count} lines through the real tools and the simulation`, () => {
  for (const [tool, cases] of Object.entries(CASES)) {
    const realTools = tool === "awk" ? ["gawk", "mawk"].filter(has) : [tool];
    const missing = !realTools.length || !realTools.every(has);
    describe.skipIf(missing)(missing ? `${tool}: skipped, the real ${tool} is not installed here` : tool, () => {
      for (const c of cases) {
        it(c.line.replace(/\n/g, "\\n"), () => {
          const stdin = c.stdin ?? "";
          const answers = realTools.map((t) => real(tool === "awk" ? c.line.replace(/\bawk\b/, t) : c.line, stdin));
          for (const a of answers.slice(1)) expect([a.stdout, a.exitCode], "gawk and mawk disagree: not a fair case").toEqual([answers[0]!.stdout, answers[0]!.exitCode]);
          const want = answers[0]!;
          const got = simulated(c.line, stdin);
          expect(got.stdout).toBe(want.stdout);
          expect(got.exitCode).toBe(want.exitCode);
          if (c.err) expect(got.stderr).toBe(want.stderr);
        });
      }
    });
  }
});
