import type { TestDatabase } from "./databases.js";
import { createProject, type TempProject } from "./project.js";

/**
 * A blog-like schema with every common kind of column, for `schema:types` and
 * `schema:erd`: identities, defaults, nullable columns, enums (one value with a quote),
 * JSON, decimals, big integers, binary, dates, a name that is not an identifier, a
 * comment, and foreign keys of each cardinality (required, nullable, unique).
 */
export const CODEGEN_MIGRATION = `import { Migration } from "mortar";
export default class CreateCodegenTables extends Migration {
  async up() {
    await this.schema.create("authors", (t) => {
      t.id();
      t.string("email").unique();
      t.string("display name").nullable();
      t.boolean("is_admin").default(false);
      t.enum("role", ["admin", "editor", "it's"]).default("editor");
      t.json("settings").nullable();
      t.timestamps();
    });
    await this.schema.create("posts", (t) => {
      t.id();
      t.foreignId("author_id").constrained("authors").cascadeOnDelete();
      t.foreignId("editor_id").nullable().constrained("authors").nullOnDelete();
      t.string("title");
      t.text("body").nullable();
      t.decimal("price", 8, 2);
      t.bigInteger("views").default(0);
      t.double("score").nullable();
      t.uuid("uuid");
      t.binary("cover").nullable();
      t.date("published_on").nullable();
      t.enum("status", ["draft", "published"]);
      t.timestamp("published_at").nullable();
      t.timestamps();
    });
    await this.schema.create("profiles", (t) => {
      t.increments("id");
      t.foreignId("author_id").unique().constrained("authors");
      t.string("bio").comment("Shown on the author page");
    });
  }
  async down() {
    for (const name of ["profiles", "posts", "authors"]) await this.schema.drop(name);
  }
}
`;

/** The tables the schema creates, sorted. */
export const CODEGEN_TABLES = ["authors", "posts", "profiles"];

/** The foreign keys it creates (Laravel's default names). */
export const CODEGEN_FOREIGN_KEYS = ["posts_author_id_foreign", "posts_editor_id_foreign", "profiles_author_id_foreign"];

/** A temporary project holding the migration, migrated on `database` through the real binary. */
export async function migratedCodegenProject(database: TestDatabase): Promise<TempProject> {
  const project = createProject("module");
  project.write("databases/migrations/2026_01_01_000000_create_codegen_tables.ts", CODEGEN_MIGRATION);
  const migrated = await project.mortar(["migrate"], database.env);
  if (migrated.code !== 0) {
    project.cleanup();
    throw new Error(`migrate failed on ${database.dialect}:\n${migrated.stdout}${migrated.stderr}`);
  }
  return project;
}
