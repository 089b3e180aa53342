import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import mermaid from "mermaid";
import { CODEGEN_FOREIGN_KEYS, CODEGEN_TABLES, migratedCodegenProject } from "../support/codegen-schema.js";
import { createTestDatabase, DIALECTS } from "../support/databases.js";

/**
 * `mortar schema:erd` through the real binary on every dialect: the output parses with
 * Mermaid's own parser (the one GitHub renders with), and what Mermaid reads from it
 * names every table, its keys, and every foreign key with its cardinality.
 */

interface MermaidAttribute {
  readonly type: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly comment: string;
}

interface ParsedErd {
  readonly entities: Map<string, readonly MermaidAttribute[]>;
  /** Relation label → `parent child cardA cardB` as Mermaid reads it. */
  readonly relations: Map<string, string>;
}

async function parseErd(text: string): Promise<ParsedErd> {
  assert.ok(await mermaid.parse(text), "Mermaid must parse the diagram");
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getEntities(): Map<string, { id: string; label: string; attributes: MermaidAttribute[] }>;
    getRelationships(): { entityA: string; entityB: string; roleA: string; relSpec: { cardA: string; cardB: string } }[];
  };
  const entities = [...db.getEntities().values()];
  const labelOf = new Map(entities.map((e) => [e.id, e.label]));
  return {
    entities: new Map(entities.map((e) => [e.label, e.attributes])),
    relations: new Map(
      db.getRelationships().map((r) => [r.roleA, `${labelOf.get(r.entityA)} ${labelOf.get(r.entityB)} ${r.relSpec.cardA} ${r.relSpec.cardB}`]),
    ),
  };
}

function attribute(parsed: ParsedErd, table: string, name: string): MermaidAttribute {
  const found = parsed.entities.get(table)?.find((a) => a.name === name);
  assert.ok(found, `${table}.${name} must be in the diagram`);
  return found;
}

for (const dialect of DIALECTS) {
  describe(`schema:erd on ${dialect}`, () => {
    test("parses as Mermaid and names every table, key and relation with its cardinality; deterministic", async () => {
      const database = await createTestDatabase(dialect);
      const project = await migratedCodegenProject(database).catch(async (error) => {
        await database.drop();
        throw error;
      });
      try {
        const first = await project.mortar(["schema:erd"], database.env);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /^erDiagram\n/);
        const parsed = await parseErd(first.stdout);

        assert.deepEqual([...parsed.entities.keys()].sort(), CODEGEN_TABLES, "every table, and not the tracking table");
        assert.deepEqual([...parsed.relations.keys()].sort(), CODEGEN_FOREIGN_KEYS);
        // Mermaid reads `parent ||--o{ child` as cardA (the child's side) ZERO_OR_MORE, cardB ONLY_ONE.
        assert.equal(parsed.relations.get("posts_author_id_foreign"), "authors posts ZERO_OR_MORE ONLY_ONE");
        assert.equal(parsed.relations.get("posts_editor_id_foreign"), "authors posts ZERO_OR_MORE ZERO_OR_ONE", "a nullable key: zero or one parent");
        assert.equal(parsed.relations.get("profiles_author_id_foreign"), "authors profiles ZERO_OR_ONE ONLY_ONE", "a unique key: one-to-one");

        assert.deepEqual(attribute(parsed, "posts", "id").keys, ["PK"]);
        assert.deepEqual(attribute(parsed, "posts", "author_id").keys, ["FK"]);
        assert.deepEqual(attribute(parsed, "authors", "email").keys, ["UK"]);
        assert.deepEqual(attribute(parsed, "profiles", "author_id").keys, ["FK", "UK"]);
        assert.equal(attribute(parsed, "profiles", "bio").comment, "Shown on the author page");
        assert.equal(attribute(parsed, "posts", "status").type, "enum");
        assert.equal(attribute(parsed, "posts", "status").comment, "one of: draft, published");
        assert.equal(attribute(parsed, "authors", "display_name").comment, "column display name");
        assert.match(attribute(parsed, "posts", "price").type, /^(decimal|numeric)\(8,2\)$/);
        assert.match(attribute(parsed, "posts", "title").type, /^varchar\(255\)$/);

        const second = await project.mortar(["schema:erd"], database.env);
        assert.equal(second.stdout, first.stdout, "two runs give the same bytes");

        const markdown = await project.mortar(["schema:erd", "--out", "docs/schema.md"], database.env);
        assert.equal(markdown.code, 0, markdown.stderr);
        assert.equal(readFileSync(join(project.dir, "docs", "schema.md"), "utf8"), `\`\`\`mermaid\n${first.stdout}\`\`\`\n`);
      } finally {
        project.cleanup();
        await database.drop();
      }
    });
  });
}
