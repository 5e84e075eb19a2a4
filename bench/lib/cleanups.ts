/** Teardown steps registered as resources are made (a database, a hub), run once, newest first — on success, on error, on a signal. */

export class Cleanups {
  #steps: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.#steps.push({ name, run });
  }

  /** Runs every step registered so far, newest first; a failing step is reported and the rest still run. */
  async run(): Promise<void> {
    const steps = this.#steps.reverse();
    this.#steps = [];
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup "${step.name}" failed:`, error);
      }
    }
  }
}
