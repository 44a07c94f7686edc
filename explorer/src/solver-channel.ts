/**
 * One solver worker and the rule for a new request while it is busy: the
 * newest request replaces any waiting one (the page only wants the latest
 * state), and a request that has run longer than `stallMs` is cancelled by
 * terminating the worker and starting a fresh one (a solve in a worker
 * cannot be interrupted otherwise). `stallMs = 0` cancels at once: the
 * analysis worker, whose fits take seconds.
 */
import type { SolveReply, SolveRequest } from './protocol.js';

export class SolverChannel {
  private worker: Worker;
  private busy: { id: number; since: number } | undefined;
  private waiting: SolveRequest | undefined;
  /** Workers terminated to cancel a request (for the page's diagnostics and the tests). */
  cancelled = 0;

  constructor(
    private readonly spawn: () => Worker,
    private readonly stallMs: number,
    private readonly onReply: (reply: SolveReply) => void,
  ) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.spawn();
    worker.onmessage = (event: MessageEvent<SolveReply>) => this.receive(event.data);
    worker.onerror = (event) => {
      const id = this.busy?.id ?? -1;
      this.busy = undefined;
      this.onReply({ id, kind: 'error', message: `the solver stopped: ${event.message}` });
      this.sendWaiting();
    };
    return worker;
  }

  private receive(reply: SolveReply): void {
    this.onReply(reply);
    if ((reply.kind === 'done' || reply.kind === 'error') && this.busy?.id === reply.id) {
      this.busy = undefined;
      this.sendWaiting();
    }
  }

  private sendWaiting(): void {
    const next = this.waiting;
    this.waiting = undefined;
    if (next) this.send(next);
  }

  private send(request: SolveRequest): void {
    this.busy = { id: request.id, since: performance.now() };
    this.worker.postMessage(request);
  }

  /** True while a request is being solved. */
  get isBusy(): boolean {
    return this.busy !== undefined;
  }

  submit(request: SolveRequest): void {
    if (!this.busy) {
      this.send(request);
      return;
    }
    if (performance.now() - this.busy.since >= this.stallMs) {
      this.worker.terminate();
      this.cancelled++;
      this.busy = undefined;
      this.waiting = undefined;
      this.worker = this.start();
      this.send(request);
      return;
    }
    this.waiting = request;
  }
}
