// GNU getopt_long, the way util-linux and coreutils tools parse their arguments:
// bundled short flags (-ef), --long and --long=value, `--`, and (with stopAtFirst) the "+"
// optstring mode that unshare/nsenter use so the program's own arguments pass through.

export interface OptSpec {
  /** Short letter → takes an argument? */
  short?: Record<string, boolean | "optional">;
  /** Long name → takes an argument? ("optional" = only as --name=value). */
  long?: Record<string, boolean | "optional">;
  /** Map short letters to long names so callers look up one key. */
  alias?: Record<string, string>;
  stopAtFirst?: boolean;
}

export interface ParsedOpts {
  opts: Map<string, string | true>;
  /** Repeated options in order (e.g. -o pid -o comm). */
  all: [string, string | true][];
  rest: string[];
}

export class OptError extends Error {}

export function getopt(args: string[], spec: OptSpec): ParsedOpts {
  const opts = new Map<string, string | true>();
  const all: [string, string | true][] = [];
  const rest: string[] = [];
  const set = (k: string, v: string | true) => {
    const key = spec.alias?.[k] ?? k;
    opts.set(key, v);
    all.push([key, v]);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const given = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const names = Object.keys(spec.long ?? {});
      const exact = names.find((n) => n === given);
      const prefixed = names.filter((n) => n.startsWith(given));
      const name = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
      if (!name) {
        if (prefixed.length > 1) throw new OptError(`option '${a}' is ambiguous; possibilities: ${prefixed.map((p) => "'--" + p + "'").join(" ")}`);
        throw new OptError(`unrecognized option '${a}'`);
      }
      const takes = spec.long![name];
      if (takes === true) {
        if (eq >= 0) set(name, a.slice(eq + 1));
        else if (i + 1 < args.length) set(name, args[++i]!);
        else throw new OptError(`option '--${name}' requires an argument`);
      } else if (takes === "optional") {
        set(name, eq >= 0 ? a.slice(eq + 1) : true);
      } else {
        if (eq >= 0) throw new OptError(`option '--${name}' doesn't allow an argument`);
        set(name, true);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (!(c in (spec.short ?? {}))) throw new OptError(`invalid option -- '${c}'`);
        const takes = spec.short![c];
        if (takes === true) {
          if (j + 1 < a.length) set(c, a.slice(j + 1));
          else if (i + 1 < args.length) set(c, args[++i]!);
          else throw new OptError(`option requires an argument -- '${c}'`);
          break;
        } else if (takes === "optional") {
          set(c, j + 1 < a.length ? a.slice(j + 1) : true);
          break;
        } else set(c, true);
      }
      continue;
    }
    if (spec.stopAtFirst) break;
    rest.push(a);
  }
  rest.push(...args.slice(i));
  return { opts, all, rest };
}
