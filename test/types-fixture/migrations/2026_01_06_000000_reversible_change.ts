import { Migration } from "mortar";

// A reversible migration: change() alone, no up() or down().
export default class ReversibleChange extends Migration {
  async change() {
    await this.schema.create("wishlists", (t) => {
      t.id();
      t.foreignId("user_id").constrained();
      t.string("name");
    });
    await this.schema.table("wishlists", (t) => t.renameColumn("name", "title"));
  }
}
