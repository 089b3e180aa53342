import { Migration } from "mortar";

// Foreign keys in both spellings, a pivot table, and a migration outside a transaction.
export default class CreateBlogWithForeignKeys extends Migration {
  static override transaction = false;

  async up() {
    await this.schema.create("posts", (t) => {
      t.increments("id");
      t.integer("user_id").unsigned();
      t.foreign("user_id").references("id").on("users").onDelete("cascade").onUpdate("cascade");
      t.string("title");
      t.text("content");
      t.timestamps();
    });
    await this.schema.create("tags", (t) => {
      t.increments("id");
      t.string("name").unique();
    });
    await this.schema.create("post_tag", (t) => {
      t.foreignId("post_id").constrained("posts").cascadeOnDelete();
      t.foreignId("tag_id").references("id").on("tags").nullOnDelete();
      t.primary(["post_id", "tag_id"]);
    });
    await this.schema.createIfNotExists("audits", (t) => t.increments("id"));
    const tables: string[] = await this.schema.getTables();
    if (tables.includes("legacy_posts") && (await this.schema.hasColumn("legacy_posts", "body"))) {
      await this.db.execute("insert into posts (user_id, title, content) select 1, title, body from legacy_posts");
    }
    const rows = await this.db.query("select count(*) as n from posts");
    if (rows.length < 0) throw new Error("unreachable");
  }

  override async down() {
    await this.schema.table("post_tag", (t) => t.dropForeign(["tag_id"]));
    for (const name of ["audits", "post_tag", "tags", "posts"]) await this.schema.drop(name);
  }
}
