import type { CompiledQuery } from "../../grammar/grammar.js";
import type { SafeStep } from "../../grammar/safe-plan.js";
import type { SafeSchemaContext } from "../../schema/safe-session.js";

/**
 * One attempt of one migration under safe execution: the tables that were there when
 * it began, and the steps its commands deferred until its transaction commits.
 */
export class SafeMigrationState implements SafeSchemaContext {
  readonly #existing: ReadonlySet<string>;
  readonly #deferred: { step: SafeStep; inline: readonly CompiledQuery[] }[] = [];
  readonly immediate: boolean;

  /** `immediate`: no transaction to wait for (`static transaction = false`), steps run in place. */
  constructor(existingTables: Iterable<string>, immediate: boolean) {
    this.#existing = new Set([...existingTables].map((t) => t.toLowerCase()));
    this.immediate = immediate;
  }

  existed(table: string): boolean {
    return this.#existing.has(table.toLowerCase());
  }

  defer(steps: readonly SafeStep[], inline: readonly CompiledQuery[]): void {
    // The inline form travels with the first step of the command: taken back, all of it runs once.
    steps.forEach((step, i) => this.#deferred.push({ step, inline: i === 0 ? inline : [] }));
  }

  takeBack(table: string): CompiledQuery[] {
    const taken: CompiledQuery[] = [];
    for (let i = 0; i < this.#deferred.length; ) {
      const entry = this.#deferred[i]!;
      if (entry.step.table.toLowerCase() === table.toLowerCase()) {
        taken.push(...entry.inline);
        this.#deferred.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  /** The steps left for after the commit, in the order the commands deferred them. */
  get steps(): SafeStep[] {
    return this.#deferred.map((d) => d.step);
  }
}
