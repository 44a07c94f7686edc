/**
 * What both solver workers share: the flags of a request go to the library's
 * `parseCurveCommand` exactly as the CLI's do (so a bad value is refused with
 * the CLI's one-line message naming the flag), after the request's files are
 * made readable to the library's file loader; replies go back through `post`;
 * an error becomes a reply naming the flag.
 */
import { InvalidArgumentError, parseCurveCommand, withFlagName, type CurveCommand, type CurveFlags } from '../../src/index.js';
import { registerVirtualFile } from './node-stub.js';
import type { SolveReply, SolveRequest } from './protocol.js';

export const post = (reply: SolveReply): void => (self as unknown as Worker).postMessage(reply);

export function parse(request: SolveRequest): CurveCommand {
  for (const file of request.files) registerVirtualFile(file.path, file.text);
  return parseCurveCommand(request.flags as unknown as CurveFlags);
}

/** Answers each request with `solve`, then 'done', or with an error naming the flag. */
export function serve(solve: (request: SolveRequest) => Promise<void>): void {
  self.onmessage = async (event: MessageEvent<SolveRequest>) => {
    const request = event.data;
    try {
      await solve(request);
      post({ id: request.id, kind: 'done' });
    } catch (error) {
      // A refusal from the solver names the API argument ('sgdSampling'); the page shows the flag ('--sampling'), as the CLI does.
      const labelled = error instanceof InvalidArgumentError ? withFlagName(error) : error;
      const argument = labelled instanceof InvalidArgumentError ? labelled.argument : undefined;
      post({ id: request.id, kind: 'error', message: labelled instanceof Error ? labelled.message : String(labelled), argument });
    }
  };
}
