import { Migration, raw } from "mortar";

// A create migration using many column types and modifiers, written as a user would.
export default class CreateCatalogueTables extends Migration {
  async up() {
    await this.schema.create("users", (table) => {
      table.id();
      table.string("name");
      table.string("email", 191).unique();
      table.string("password");
      table.boolean("is_admin").default(false);
      table.timestamps();
      table.softDeletes();
    });

    await this.schema.create("products", (table) => {
      table.bigIncrements("id");
      table.uuid("public_id").unique();
      table.char("sku", 12).index();
      table.text("description").nullable();
      table.decimal("price", 10, 2).unsigned().default(0);
      table.float("weight").nullable();
      table.double("rating");
      table.integer("stock").default(0).comment("units on hand");
      table.smallInteger("shelf").nullable();
      table.tinyInteger("flags").unsigned();
      table.bigInteger("views").default(0);
      table.enum("status", ["draft", "published", "archived"]).default("draft");
      table.json("attributes").nullable();
      table.jsonb("metadata").nullable();
      table.binary("thumbnail").nullable();
      table.date("available_on").nullable();
      table.time("opens_at").nullable();
      table.datetime("published_at").nullable();
      table.timestamp("checked_at").useCurrent().useCurrentOnUpdate();
      table.timestamp("imported_at").default(raw("CURRENT_TIMESTAMP"));
      table.year("model_year").nullable();
      table.foreignId("user_id").constrained().cascadeOnDelete();
      table.morphs("owner");
      table.index(["status", "published_at"]);
      table.unique(["user_id", "sku"], "products_owner_sku_unique");
      table.timestamps();
    });
  }

  override async down() {
    await this.schema.dropIfExists("products");
    await this.schema.dropIfExists("users");
  }
}
