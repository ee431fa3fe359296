// How kubectl answers an error from the API server: the server's message on stderr, exit status
// 1. Anything else thrown is a bug in the simulation rather than a reply, so it propagates.
import type { CommandContext } from "../../shell/command";
import { ApiError } from "../api/apiserver";

export function reportApiError(ctx: CommandContext, e: unknown): number {
  if (e instanceof ApiError) {
    ctx.err(e.kubectl() + "\n");
    return 1;
  }
  throw e;
}
