import type { ColumnSpec } from "../../src/schema/commands.js";

/** A ColumnSpec with every boolean attribute off, as a fresh column has them, plus `extra`. */
export function columnSpec(name: string, type: ColumnSpec["type"], extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return {
    name,
    type,
    unsigned: false,
    nullable: false,
    autoIncrement: false,
    primary: false,
    useCurrent: false,
    useCurrentOnUpdate: false,
    first: false,
    ...extra,
  };
}
