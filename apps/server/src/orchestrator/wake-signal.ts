/**
 * The wake-up half of a loop that sleeps until something may have changed: `notify()` from a
 * watcher, `sleep(ms)` in the loop. A notification that arrives while the loop is busy is kept
 * (`pending`), so the loop never sleeps through one; `close()` ends any wait at once.
 */
export class WakeSignal {
  #pending = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #wakeOnNotify = false;

  get pending(): boolean {
    return this.#pending;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Clears the pending notification, before the loop looks for work. */
  take(): void {
    this.#pending = false;
  }

  notify(): void {
    this.#pending = true;
    if (this.#wakeOnNotify) this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** Resolves after `ms`, on a notification (even one already pending), or on close. */
  sleep(ms: number): Promise<void> {
    return this.#pending ? Promise.resolve() : this.#wait(ms, true);
  }

  /** Resolves after `ms` or on close, whatever is notified meanwhile: a back-off after errors. */
  pause(ms: number): Promise<void> {
    return this.#wait(ms, false);
  }

  #wait(ms: number, wakeOnNotify: boolean): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      this.#wakeOnNotify = wakeOnNotify;
    });
  }
}
