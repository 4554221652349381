CREATE TABLE `reserved_customer_numbers` (
	`customer_number` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`provider` text NOT NULL,
	`reserved_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reserved_customer_numbers_organization_id_idx` ON `reserved_customer_numbers` (`organization_id`);