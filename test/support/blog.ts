import type { Blueprint } from "../../src/schema/blueprint.js";

/**
 * The users and posts tables of the blog schema in spec §2, as a migration would
 * write them: the unit tests check the commands they build, the integration tests
 * what they make in a real database.
 */

export function blogUsers(t: Blueprint): void {
  t.increments("id");
  t.string("name");
  t.string("email").unique();
  t.string("password");
  t.timestamps();
}

export function blogPosts(t: Blueprint): void {
  t.increments("id");
  t.integer("user_id").unsigned();
  t.foreign("user_id").references("id").on("users");
  t.string("title");
  t.text("content");
  t.timestamps();
}
