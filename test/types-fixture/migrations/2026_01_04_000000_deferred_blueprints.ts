import { Migration } from "mortar";

// Masonite's `with` form through `await using`: the blueprint runs when the block ends.
export default class DeferredBlueprints extends Migration {
  async up() {
    {
      await using table = await this.schema.create("flights");
      table.increments("id");
      table.string("name");
      table.string("airline").index();
      table.timestamps();
    }
    {
      await using table = await this.schema.table("flights");
      table.boolean("delayed").default(false);
    }
  }

  override async down() {
    await using table = await this.schema.table("flights");
    table.dropColumn("delayed");
  }
}
