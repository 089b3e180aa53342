import { connect, Migration, MortarError } from "mortar";

// Each line ending in `// error` must be rejected by the compiler; every other line must pass.
export default class WrongCalls extends Migration {
  async up() {
    await this.schema.create("things", (t) => {
      t.string(42); // error
      t.nope("x"); // error
      t.decimal("price", "10", 2); // error
      t.enum("status"); // error
      t.string("name").onDelete("cascade"); // error
      t.foreign("user_id").references("id").on(42); // error
      t.integer("count").default(0).nullable();
    });
    await this.schema.create(42, (t) => t.increments("id")); // error
    await this.schema.table("things", (t: string) => t.length); // error
    await this.schema.drop("things", "more"); // error
  }
}

// A class with neither up() nor change() is refused when loaded (change() made up() optional).
export const wrongTarget = (m: Migration) => m.schema.table("x", (t) => t.foreignIdFor(42)); // error

export async function misuse(): Promise<void> {
  const db = await connect({ driver: "sqlite", database: ":memory:" });
  db.afterStatement = undefined; // error
  await connect({ driver: "oracle", database: "x" }); // error
  try {
    await db.close();
  } catch (error) {
    if (error instanceof MortarError && error.code === "NOT_A_CODE") throw error; // error
  }
}
