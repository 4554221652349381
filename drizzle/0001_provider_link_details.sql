ALTER TABLE `provider_links` ADD `omitted` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `provider_links` ADD `options` text;