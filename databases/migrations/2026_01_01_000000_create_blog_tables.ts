import { Migration } from "mortar";

/** The blog schema of the spec: users, posts, tags, the post_tag pivot and media. */
export default class CreateBlogTables extends Migration {
  async up() {
    await this.schema.create("users", (t) => {
      t.increments("id");
      t.string("name");
      t.string("email").unique();
      t.string("password");
      t.timestamps();
    });
    await this.schema.create("posts", (t) => {
      t.increments("id");
      t.integer("user_id").unsigned();
      t.foreign("user_id").references("id").on("users");
      t.string("title");
      t.text("content");
      t.timestamps();
    });
    await this.schema.create("tags", (t) => {
      t.increments("id");
      t.string("name").unique();
      t.timestamps();
    });
    await this.schema.create("post_tag", (t) => {
      t.increments("id");
      t.integer("post_id").unsigned();
      t.foreign("post_id").references("id").on("posts").onDelete("cascade");
      t.integer("tag_id").unsigned();
      t.foreign("tag_id").references("id").on("tags").onDelete("cascade");
    });
    await this.schema.create("media", (t) => {
      t.increments("id");
      t.integer("post_id").unsigned();
      t.foreign("post_id").references("id").on("posts").onDelete("cascade");
      t.string("url");
      t.timestamps();
    });
  }

  async down() {
    for (const name of ["media", "post_tag", "tags", "posts", "users"]) await this.schema.drop(name);
  }
}
