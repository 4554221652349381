CREATE TABLE `account_holders` (
	`account_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`account_id`, `customer_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `account_holders_customer_id_idx` ON `account_holders` (`customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `account_holders_one_primary_uq` ON `account_holders` (`account_id`) WHERE "account_holders"."is_primary" = 1;--> statement-breakpoint
CREATE TABLE `accounts` (
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
	CONSTRAINT "accounts_type_ck" CHECK("accounts"."type" in ('CHECKING', 'SAVINGS', 'MONEY_MARKET', 'CREDIT', 'PREPAID', 'BUSINESS_CHECKING', 'BUSINESS_SAVINGS', 'BUSINESS_CREDIT')),
	CONSTRAINT "accounts_status_ck" CHECK("accounts"."status" in ('OPEN', 'CLOSED', 'DISPUTED', 'FRAUD_HOLD'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_account_number_uq` ON `accounts` (`organization_id`,`account_number`);--> statement-breakpoint
CREATE INDEX `accounts_relationship_id_idx` ON `accounts` (`relationship_id`);--> statement-breakpoint
CREATE TABLE `addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`line1` text NOT NULL,
	`line2` text,
	`building_number` text,
	`building_name` text,
	`floor` text,
	`apartment` text,
	`entrance` text,
	`po_box` text,
	`city` text NOT NULL,
	`county` text,
	`region` text,
	`postal_code` text,
	`country` text NOT NULL,
	`valid_from` text,
	`valid_until` text,
	`is_primary` integer DEFAULT false NOT NULL,
	`recipient_name` text,
	`company` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "addresses_kind_ck" CHECK("addresses"."kind" in ('RESIDENTIAL', 'MAILING', 'SHIPPING', 'TEMPORARY', 'BUSINESS', 'PRIOR'))
);
--> statement-breakpoint
CREATE INDEX `addresses_customer_id_idx` ON `addresses` (`customer_id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`occurred_at` integer NOT NULL,
	`organization_id` text,
	`subject` text NOT NULL,
	`operation` text NOT NULL,
	`target_ids` text DEFAULT '[]' NOT NULL,
	`outcome` text NOT NULL,
	`request_id` text,
	`detail` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_events_occurred_at_id_idx` ON `audit_events` (`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_organization_id_idx` ON `audit_events` (`organization_id`);--> statement-breakpoint
CREATE TABLE `cards` (
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
	CONSTRAINT "cards_last4_ck" CHECK(length("cards"."last4") = 4 and "cards"."last4" not glob '*[^0-9]*'),
	CONSTRAINT "cards_iin_ck" CHECK(length("cards"."iin") between 6 and 8 and "cards"."iin" not glob '*[^0-9]*'),
	CONSTRAINT "cards_type_ck" CHECK("cards"."type" in ('CREDIT', 'DEBIT', 'PREPAID')),
	CONSTRAINT "cards_status_ck" CHECK("cards"."status" in ('ACTIVE', 'BLOCKED', 'CLOSED')),
	CONSTRAINT "cards_network_ck" CHECK("cards"."network" in ('VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'OTHER'))
);
--> statement-breakpoint
CREATE INDEX `cards_account_id_idx` ON `cards` (`account_id`);--> statement-breakpoint
CREATE INDEX `cards_holder_id_idx` ON `cards` (`holder_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`parent_id` text,
	`customer_number` text NOT NULL,
	`kind` text DEFAULT 'PRIVATE' NOT NULL,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`salutation` text,
	`title` text,
	`first_name` text,
	`middle_name` text,
	`last_name` text,
	`suffix` text,
	`business_name` text,
	`date_of_birth` text,
	`gender` text,
	`locale` text,
	`currency` text,
	`email` text,
	`phone_mobile` text,
	`phone_landline` text,
	`phone_additional` text,
	`phone_work` text,
	`nationalities` text DEFAULT '[]' NOT NULL,
	`screening_pep` integer,
	`screening_sanctions` integer,
	`screening_risk_score` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "customers_kind_ck" CHECK("customers"."kind" in ('PRIVATE', 'BUSINESS')),
	CONSTRAINT "customers_status_ck" CHECK("customers"."status" in ('ACTIVE', 'SUSPENDED')),
	CONSTRAINT "customers_gender_ck" CHECK("customers"."gender" is null or "customers"."gender" in ('MALE', 'FEMALE', 'UNSPECIFIED')),
	CONSTRAINT "customers_risk_score_ck" CHECK("customers"."screening_risk_score" is null or "customers"."screening_risk_score" in ('LOW', 'MEDIUM', 'HIGH')),
	CONSTRAINT "customers_name_ck" CHECK(("customers"."kind" = 'PRIVATE' and "customers"."first_name" is not null and "customers"."last_name" is not null)
        or ("customers"."kind" = 'BUSINESS' and "customers"."business_name" is not null)),
	CONSTRAINT "customers_not_own_parent_ck" CHECK("customers"."parent_id" is null or "customers"."parent_id" <> "customers"."id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_customer_number_uq` ON `customers` (`customer_number`);--> statement-breakpoint
CREATE INDEX `customers_organization_id_idx` ON `customers` (`organization_id`);--> statement-breakpoint
CREATE INDEX `customers_parent_id_idx` ON `customers` (`parent_id`);--> statement-breakpoint
CREATE INDEX `customers_created_at_id_idx` ON `customers` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`organization_id` text NOT NULL,
	`key` text NOT NULL,
	`operation` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `key`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_at_idx` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
CREATE TABLE `identities` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`number` text NOT NULL,
	`issuing_country` text NOT NULL,
	`issued_on` text,
	`expires_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "identities_type_ck" CHECK("identities"."type" in ('PASSPORT', 'NATIONAL_ID', 'DRIVING_LICENSE', 'RESIDENCE_PERMIT', 'TAX_ID', 'SSN', 'ADDRESS_PROOF'))
);
--> statement-breakpoint
CREATE INDEX `identities_customer_id_idx` ON `identities` (`customer_id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organizations_parent_id_idx` ON `organizations` (`parent_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_link_id` text NOT NULL,
	`provider` text NOT NULL,
	`operation` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`provider_link_id`) REFERENCES `provider_links`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "outbox_provider_ck" CHECK("outbox"."provider" in ('ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION')),
	CONSTRAINT "outbox_status_ck" CHECK("outbox"."status" in ('PENDING', 'IN_FLIGHT', 'DONE', 'DEAD'))
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_link_id_idx` ON `outbox` (`provider_link_id`);--> statement-breakpoint
CREATE TABLE `provider_links` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`external_id` text,
	`request_id` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`dead_lettered_at` integer,
	`last_attempt_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "provider_links_provider_ck" CHECK("provider_links"."provider" in ('ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION')),
	CONSTRAINT "provider_links_status_ck" CHECK("provider_links"."status" in ('PENDING', 'IN_PROGRESS', 'SYNCED', 'FAILED'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_links_customer_provider_uq` ON `provider_links` (`customer_id`,`provider`);--> statement-breakpoint
CREATE INDEX `provider_links_status_idx` ON `provider_links` (`status`);--> statement-breakpoint
CREATE TABLE `relationship_members` (
	`relationship_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`relationship_id`, `customer_id`),
	FOREIGN KEY (`relationship_id`) REFERENCES `relationships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `relationship_members_customer_id_idx` ON `relationship_members` (`customer_id`);--> statement-breakpoint
CREATE TABLE `relationships` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`relationship_number` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `relationships_relationship_number_uq` ON `relationships` (`relationship_number`);