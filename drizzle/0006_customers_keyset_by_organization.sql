DROP INDEX `customers_organization_id_idx`;--> statement-breakpoint
CREATE INDEX `customers_organization_created_at_id_idx` ON `customers` (`organization_id`,`created_at`,`id`);