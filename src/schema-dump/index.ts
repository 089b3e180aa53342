/** `schema:dump`, `schema:load` and `schema:diff` as a library: the model, the dump and the comparison. */
export type { SchemaModel, TableModel, ColumnModel, IndexModel, ForeignKeyModel, CheckModel, ViewModel, SequenceModel, EnumTypeModel, TriggerModel } from "./model.js";
export { readSchemaModel } from "./read-model.js";
export { dumpSchema, loadSchemaDump, dumpStatements, dumpPath, type DumpOptions } from "./dump.js";
export { diffSchemas, type SchemaDifference, type DifferenceKind, type DiffOptions } from "./diff.js";
export { withScratchDatabase } from "./scratch-database.js";
