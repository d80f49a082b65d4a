DROP TRIGGER comments_count_on_delete--> statement-breakpoint
DROP TRIGGER comments_count_on_insert--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
SELECT json_extract('{}', 'ash-sqlite: rebuilding table posts would drop or break ' || group_concat(type || ' ' || name, ', ') || ', which no resource declares. Declare it in the customStatements of a resource (or drop it), then migrate again') FROM sqlite_master WHERE type IN ('view', 'trigger') AND name NOT IN ('comments_count_on_delete', 'comments_count_on_insert') AND (lower(tbl_name) = 'posts' OR (' ' || lower(sql) || ' ') GLOB '*[^a-z0-9_$]posts[^a-z0-9_$]*') HAVING count(*) > 0;--> statement-breakpoint
CREATE TABLE `__new_posts` (
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
INSERT INTO `__new_posts`(`id`, `slug`, `title`, `body`, `status`, `published_at`, `comment_count`, `inserted_at`, `updated_at`, `author_id`) SELECT `id`, `slug`, `title`, `body`, `status`, `published_at`, `comment_count`, `inserted_at`, `updated_at`, `author_id` FROM `posts`;--> statement-breakpoint
SELECT json_extract('{}', 'ash-sqlite: the rebuild of table posts copied ' || copied || ' of ' || original || ' rows; nothing was changed') FROM (SELECT (SELECT count(*) FROM `__new_posts`) AS copied, (SELECT count(*) FROM `posts`) AS original) WHERE copied <> original;--> statement-breakpoint
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'posts'), 0)) WHERE name = '__new_posts';--> statement-breakpoint
INSERT INTO sqlite_sequence (name, seq) SELECT '__new_posts', seq FROM sqlite_sequence WHERE name = 'posts' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '__new_posts');--> statement-breakpoint
DROP TABLE `posts`;--> statement-breakpoint
ALTER TABLE `__new_posts` RENAME TO `posts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `posts_unique_slug_index` ON `posts` (`slug`);--> statement-breakpoint
CREATE INDEX `posts_author_id_published_at_index` ON `posts` (`author_id`,`published_at`) WHERE published_at IS NOT NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
SELECT json_extract('{}', 'ash-sqlite: rebuilding table users would drop or break ' || group_concat(type || ' ' || name, ', ') || ', which no resource declares. Declare it in the customStatements of a resource (or drop it), then migrate again') FROM sqlite_master WHERE type IN ('view', 'trigger') AND name NOT IN ('comments_count_on_delete', 'comments_count_on_insert') AND (lower(tbl_name) = 'users' OR (' ' || lower(sql) || ' ') GLOB '*[^a-z0-9_$]users[^a-z0-9_$]*') HAVING count(*) > 0;--> statement-breakpoint
CREATE TABLE `__new_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text COLLATE NOCASE NOT NULL,
	`handle` text NOT NULL,
	`display_name` text,
	`role` text DEFAULT 'reader' NOT NULL,
	`inserted_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_users`(`id`, `email`, `handle`, `display_name`, `role`, `inserted_at`, `updated_at`) SELECT `id`, `email`, `handle`, `display_name`, `role`, `inserted_at`, `updated_at` FROM `users`;--> statement-breakpoint
SELECT json_extract('{}', 'ash-sqlite: the rebuild of table users copied ' || copied || ' of ' || original || ' rows; nothing was changed') FROM (SELECT (SELECT count(*) FROM `__new_users`) AS copied, (SELECT count(*) FROM `users`) AS original) WHERE copied <> original;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_unique_handle_index` ON `users` (`handle`);--> statement-breakpoint
CREATE TRIGGER comments_count_on_insert AFTER INSERT ON comments BEGIN
  UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
END--> statement-breakpoint
CREATE TRIGGER comments_count_on_delete AFTER DELETE ON comments BEGIN
  UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id;
END