import { Seeder } from "mortar";

class RoleSeeder extends Seeder {
  async run() {
    await this.db.execute(this.db.dialect === "postgres" ? "insert into roles (name) values ($1)" : "insert into roles (name) values (?)", ["admin"]);
  }
}

export default class DatabaseSeeder extends Seeder {
  async run() {
    if (!(await this.schema.hasTable("roles"))) return;
    await this.call([RoleSeeder]);
    await this.call(RoleSeeder);
  }
}
