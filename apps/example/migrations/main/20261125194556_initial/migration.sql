CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`inserted_at` text NOT NULL,
	`post_id` integer NOT NULL,
	`author_id` text,
	CONSTRAINT `fk_comments_post_id_posts_id_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_comments_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON DELETE SET NULL
);
--> statement-breakpoint
CREATE TABLE `post_tags` (
	`post_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	CONSTRAINT `post_tags_pk` PRIMARY KEY(`post_id`, `tag_id`),
	CONSTRAINT `fk_post_tags_post_id_posts_id_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_post_tags_tag_id_tags_id_fk` FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`published_at` text,
	`comment_count` integer DEFAULT 0 NOT NULL,
	`inserted_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`author_id` text NOT NULL,
	CONSTRAINT `fk_posts_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`name` text COLLATE NOCASE NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text COLLATE NOCASE NOT NULL,
	`handle` text NOT NULL,
	`display_name` text,
	`role` text DEFAULT 'reader' NOT NULL,
	`inserted_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `comments_post_id_inserted_at_index` ON `comments` (`post_id`,`inserted_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `posts_unique_slug_index` ON `posts` (`slug`);--> statement-breakpoint
CREATE INDEX `posts_author_id_published_at_index` ON `posts` (`author_id`,`published_at`) WHERE published_at IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `tags_unique_name_index` ON `tags` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_unique_handle_index` ON `users` (`handle`);--> statement-breakpoint
CREATE TRIGGER comments_count_on_insert AFTER INSERT ON comments BEGIN
  UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
END--> statement-breakpoint
CREATE TRIGGER comments_count_on_delete AFTER DELETE ON comments BEGIN
  UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id;
END