// Runs tasks one after the other, in the order they were queued. A task that fails is reported and
// the queue goes on: a rejected reload of the PKI folders must not stop every later one.
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Queues `task`; the returned promise settles once it ran, and never rejects. */
  push(task: () => Promise<void> | void): Promise<void> {
    this.tail = this.tail.then(task).catch((err: unknown) => {
      try {
        this.onError(err);
      } catch {
        // A failing reporter must not break the chain either.
      }
    });
    return this.tail;
  }

  /** Resolves once everything queued so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}
