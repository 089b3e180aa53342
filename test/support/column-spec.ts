import type { ColumnModifiers, ColumnSpec } from "../../src/schema/commands.js";

/** Every boolean modifier off, as a fresh column has them. */
export const FRESH_MODIFIERS: Omit<ColumnModifiers, "name"> = {
  unsigned: false,
  nullable: false,
  autoIncrement: false,
  primary: false,
  useCurrent: false,
  useCurrentOnUpdate: false,
  first: false,
};

/** Anything a ColumnSpec of some type can hold, with the name and type required. */
export type ColumnFields = Pick<ColumnSpec, "name" | "type"> &
  Partial<ColumnModifiers> & {
    readonly length?: number;
    readonly precision?: number;
    readonly scale?: number;
    readonly values?: readonly string[];
  };

/**
 * A ColumnSpec written by hand, with every modifier not given off: the expected value
 * of a Blueprint test, or a command given to a grammar directly. The type's parameters
 * (a string's length, …) are the caller's to give, as the Blueprint would; hence the cast.
 *
 * @example
 * columnSpec({ name: "email", type: "string", length: 255, nullable: true })
 */
export function columnSpec(fields: ColumnFields): ColumnSpec {
  return { ...FRESH_MODIFIERS, ...fields } as ColumnSpec;
}
