DROP TRIGGER comments_count_on_delete--> statement-breakpoint
DROP TRIGGER comments_count_on_insert--> statement-breakpoint
DROP INDEX IF EXISTS `comments_post_id_inserted_at_index`;--> statement-breakpoint
DROP INDEX IF EXISTS `posts_unique_slug_index`;--> statement-breakpoint
DROP INDEX IF EXISTS `posts_author_id_published_at_index`;--> statement-breakpoint
DROP INDEX IF EXISTS `tags_unique_name_index`;--> statement-breakpoint
DROP INDEX IF EXISTS `users_unique_email_index`;--> statement-breakpoint
DROP INDEX IF EXISTS `users_unique_handle_index`;--> statement-breakpoint
DROP TABLE `comments`;--> statement-breakpoint
DROP TABLE `post_tags`;--> statement-breakpoint
DROP TABLE `posts`;--> statement-breakpoint
DROP TABLE `tags`;--> statement-breakpoint
DROP TABLE `users`;