import { Migration } from "mortar";

/** A second, alter-table migration, written in the `await using` form (Masonite's `with`). */
export default class AddBioToUsersTable extends Migration {
  async up() {
    await using table = await this.schema.table("users");
    table.text("bio").nullable().comment("Shown on the author page");
  }

  async down() {
    await using table = await this.schema.table("users");
    table.dropColumn("bio");
  }
}
