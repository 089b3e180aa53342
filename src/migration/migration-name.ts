/**
 * What a migration's name says, read like Laravel's `make:migration`: the file name in
 * snake_case, the class name in StudlyCase, and the table a name like
 * `create_flights_table` or `add_votes_to_users` is about. Pure.
 */

export interface TableGuess {
  readonly table: string;
  /** `create_…`: a new table; otherwise a change to an existing one. */
  readonly create: boolean;
}

// Laravel's TableGuesser patterns, with or without the trailing `_table`. The greedy `.+`
// makes the table the part after the LAST preposition (`move_to_archive_from_users` → users).
const CREATE_PATTERNS = [/^create_(\w+)_table$/, /^create_(\w+)$/];
const CHANGE_PATTERNS = [/^.+_(?:to|from|in)_(\w+)_table$/, /^.+_(?:to|from|in)_(\w+)$/];

/** `create_flights_table` → create flights; `add_votes_to_users` → change users; else nothing. */
export function guessTable(snakeName: string): TableGuess | undefined {
  for (const pattern of CREATE_PATTERNS) {
    const match = pattern.exec(snakeName);
    if (match) return { table: match[1]!, create: true };
  }
  for (const pattern of CHANGE_PATTERNS) {
    const match = pattern.exec(snakeName);
    if (match) return { table: match[1]!, create: false };
  }
  return undefined;
}

/** `AddStatusToFlights`, `add status-to flights` → `add_status_to_flights`. */
export function toSnakeCase(name: string): string {
  return String(name)
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[\s-]+/g, "_")
    .toLowerCase();
}

/** `add_status_to_flights` → `AddStatusToFlights`; a leading digit gets a `Migration` prefix. */
export function studly(snake: string): string {
  const name = snake
    .split("_")
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
  return /^[0-9]/.test(name) ? `Migration${name}` : name;
}
