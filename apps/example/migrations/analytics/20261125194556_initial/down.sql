DROP INDEX IF EXISTS `events_name_occurred_at_index`;--> statement-breakpoint
DROP TABLE `events`;