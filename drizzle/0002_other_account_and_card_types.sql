PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`relationship_id` text,
	`account_number` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'OPEN' NOT NULL,
	`currency` text,
	`opened_on` text,
	`closed_on` text,
	`portfolio_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`relationship_id`) REFERENCES `relationships`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "accounts_type_ck" CHECK("__new_accounts"."type" in ('CHECKING', 'SAVINGS', 'MONEY_MARKET', 'CREDIT', 'PREPAID', 'BUSINESS_CHECKING', 'BUSINESS_SAVINGS', 'BUSINESS_CREDIT', 'OTHER')),
	CONSTRAINT "accounts_status_ck" CHECK("__new_accounts"."status" in ('OPEN', 'CLOSED', 'DISPUTED', 'FRAUD_HOLD'))
);
--> statement-breakpoint
INSERT INTO `__new_accounts`("id", "organization_id", "relationship_id", "account_number", "type", "status", "currency", "opened_on", "closed_on", "portfolio_id", "created_at", "updated_at") SELECT "id", "organization_id", "relationship_id", "account_number", "type", "status", "currency", "opened_on", "closed_on", "portfolio_id", "created_at", "updated_at" FROM `accounts`;--> statement-breakpoint
DROP TABLE `accounts`;--> statement-breakpoint
ALTER TABLE `__new_accounts` RENAME TO `accounts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_account_number_uq` ON `accounts` (`organization_id`,`account_number`);--> statement-breakpoint
CREATE INDEX `accounts_relationship_id_idx` ON `accounts` (`relationship_id`);--> statement-breakpoint
CREATE TABLE `__new_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`holder_id` text NOT NULL,
	`last4` text NOT NULL,
	`iin` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`network` text NOT NULL,
	`opened_on` text,
	`closed_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`holder_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "cards_last4_ck" CHECK(length("__new_cards"."last4") = 4 and "__new_cards"."last4" not glob '*[^0-9]*'),
	CONSTRAINT "cards_iin_ck" CHECK(length("__new_cards"."iin") between 6 and 8 and "__new_cards"."iin" not glob '*[^0-9]*'),
	CONSTRAINT "cards_type_ck" CHECK("__new_cards"."type" in ('CREDIT', 'DEBIT', 'PREPAID', 'OTHER')),
	CONSTRAINT "cards_status_ck" CHECK("__new_cards"."status" in ('ACTIVE', 'BLOCKED', 'CLOSED')),
	CONSTRAINT "cards_network_ck" CHECK("__new_cards"."network" in ('VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'OTHER'))
);
--> statement-breakpoint
INSERT INTO `__new_cards`("id", "account_id", "holder_id", "last4", "iin", "type", "status", "network", "opened_on", "closed_on", "created_at") SELECT "id", "account_id", "holder_id", "last4", "iin", "type", "status", "network", "opened_on", "closed_on", "created_at" FROM `cards`;--> statement-breakpoint
DROP TABLE `cards`;--> statement-breakpoint
ALTER TABLE `__new_cards` RENAME TO `cards`;--> statement-breakpoint
CREATE INDEX `cards_account_id_idx` ON `cards` (`account_id`);--> statement-breakpoint
CREATE INDEX `cards_holder_id_idx` ON `cards` (`holder_id`);