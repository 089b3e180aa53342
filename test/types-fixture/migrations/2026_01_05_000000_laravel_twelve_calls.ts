import { Migration, raw } from "mortar";

// The Laravel 12 calls of issue 13 as a ported application writes them.
export default class LaravelTwelveCalls extends Migration {
  async up() {
    await this.schema.create("tickets", (t) => {
      t.ulid("id").primary();
      t.foreignIdFor("users").constrained().cascadeOnDelete();
      t.foreignIdFor({ table: "teams", primaryKey: "id", keyType: "uuid" }, "owner_team_id").nullable().constrained();
      t.foreignUlid("parent_id").nullable();
      t.rememberToken();
      t.unsignedTinyInteger("priority").default(1);
      t.unsignedSmallInteger("replies");
      t.unsignedMediumInteger("views");
      t.unsignedBigInteger("legacy_id", false);
      t.float("score");
      t.float("ratio", 24);
      t.string("email").collation("utf8mb4_bin").charset("utf8mb4");
      t.decimal("net", 10, 2);
      t.decimal("gross", 10, 2).storedAs("net * 1.2");
      t.string("slug_upper").virtualAs("upper(slug)");
      t.integer("age").check("age >= 0");
      t.timestamp("seen_at").default(raw("CURRENT_TIMESTAMP"));
      t.nullableMorphs("subject");
      t.numericMorphs("owner");
      t.nullableNumericMorphs("assignee");
      t.uuidMorphs("session");
      t.nullableUuidMorphs("device");
      t.ulidMorphs("source");
      t.nullableUlidMorphs("referrer");
      t.timestampsTz();
      t.softDeletesTz();
    });
    await this.schema.create("notes", (t) => {
      t.unsignedBigInteger("id", true);
      t.text("body");
      t.fullText("body").language("english");
      t.nullableTimestamps();
    });
    await this.schema.table("notes", (t) => t.rename("memos"));
    await this.schema.table("tickets", (t) => t.dropMorphs("referrer"));
    await this.schema.table("tickets", (t) => t.dropConstrainedForeignId("user_id"));
    await this.schema.table("memos", (t) => t.dropFullText(["body"]));
    await this.schema.disableForeignKeyConstraints();
    await this.schema.enableForeignKeyConstraints();
    const indexed: boolean = await this.schema.hasIndex("memos", ["body"], "fulltext");
    if (!indexed && this.db.dialect === "postgres") {
      await this.db.execute("select 1");
    }
  }

  override async down() {
    await this.schema.dropIfExists("memos");
    await this.schema.dropIfExists("tickets");
  }
}
