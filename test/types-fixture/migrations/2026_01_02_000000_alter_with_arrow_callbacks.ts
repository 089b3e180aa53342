import { Migration } from "mortar";

// Alter migrations whose callbacks are arrows returning whatever the call returns:
// the blueprint, a column definition, a foreign key definition, a promise.
export default class AlterWithArrowCallbacks extends Migration {
  async up() {
    await this.schema.table("products", (t) => t.dropColumn("thumbnail"));
    await this.schema.table("products", (t) => t.string("barcode", 32).nullable().after("sku"));
    await this.schema.table("products", (t) => t.renameColumn("weight", "weight_kg"));
    await this.schema.table("products", (t) => t.index("barcode"));
    await this.schema.table("users", (t) => t.string("nickname").nullable());
    await this.schema.table("users", (t) => t.string("name", 120).change());
    await this.schema.table("products", async (t) => {
      t.integer("reorder_level").default(5);
    });
    if (this.db.dialect !== "sqlite") {
      await this.schema.table("products", (t) => t.dropIndex("products_barcode_index"));
    }
  }

  override async down() {
    await this.schema.table("users", (t) => t.dropColumn("nickname"));
    await this.schema.table("products", (t) => t.dropColumn("barcode", "reorder_level"));
    await this.schema.table("products", (t) => t.renameColumn("weight_kg", "weight"));
  }
}
