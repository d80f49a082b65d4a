CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`name` text NOT NULL,
	`user_id` text,
	`path` text,
	`properties` text DEFAULT '{}' NOT NULL,
	`occurred_at` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE INDEX `events_name_occurred_at_index` ON `events` (`name`,`occurred_at`);