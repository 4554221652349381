CREATE TABLE "account_holders" (
	"account_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "account_holders_account_id_customer_id_pk" PRIMARY KEY("account_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"relationship_id" text,
	"account_number" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"currency" text,
	"opened_on" text,
	"closed_on" text,
	"portfolio_id" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"updated_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "accounts_type_ck" CHECK ("accounts"."type" in ('CHECKING', 'SAVINGS', 'MONEY_MARKET', 'CREDIT', 'PREPAID', 'BUSINESS_CHECKING', 'BUSINESS_SAVINGS', 'BUSINESS_CREDIT', 'OTHER')),
	CONSTRAINT "accounts_status_ck" CHECK ("accounts"."status" in ('OPEN', 'CLOSED', 'DISPUTED', 'FRAUD_HOLD'))
);
--> statement-breakpoint
CREATE TABLE "addresses" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"line1" text NOT NULL,
	"line2" text,
	"building_number" text,
	"building_name" text,
	"floor" text,
	"apartment" text,
	"entrance" text,
	"po_box" text,
	"city" text NOT NULL,
	"county" text,
	"region" text,
	"postal_code" text,
	"country" text NOT NULL,
	"valid_from" text,
	"valid_until" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"recipient_name" text,
	"company" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "addresses_kind_ck" CHECK ("addresses"."kind" in ('RESIDENTIAL', 'MAILING', 'SHIPPING', 'TEMPORARY', 'BUSINESS', 'PRIOR'))
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"occurred_at" bigint NOT NULL,
	"organization_id" text,
	"subject" text NOT NULL,
	"operation" text NOT NULL,
	"target_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text NOT NULL,
	"request_id" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"holder_id" text NOT NULL,
	"last4" text NOT NULL,
	"iin" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"network" text NOT NULL,
	"opened_on" text,
	"closed_on" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "cards_last4_ck" CHECK (length("cards"."last4") = 4 and "cards"."last4" !~ '[^0-9]'),
	CONSTRAINT "cards_iin_ck" CHECK (length("cards"."iin") between 6 and 8 and "cards"."iin" !~ '[^0-9]'),
	CONSTRAINT "cards_type_ck" CHECK ("cards"."type" in ('CREDIT', 'DEBIT', 'PREPAID', 'OTHER')),
	CONSTRAINT "cards_status_ck" CHECK ("cards"."status" in ('ACTIVE', 'BLOCKED', 'CLOSED')),
	CONSTRAINT "cards_network_ck" CHECK ("cards"."network" in ('VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'OTHER'))
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"parent_id" text,
	"customer_number" text NOT NULL,
	"kind" text DEFAULT 'PRIVATE' NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"salutation" text,
	"title" text,
	"first_name" text,
	"middle_name" text,
	"last_name" text,
	"suffix" text,
	"business_name" text,
	"date_of_birth" text,
	"gender" text,
	"locale" text,
	"currency" text,
	"email" text,
	"phone_mobile" text,
	"phone_landline" text,
	"phone_additional" text,
	"phone_work" text,
	"nationalities" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"screening_pep" boolean,
	"screening_sanctions" boolean,
	"screening_risk_score" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"updated_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "customers_kind_ck" CHECK ("customers"."kind" in ('PRIVATE', 'BUSINESS')),
	CONSTRAINT "customers_status_ck" CHECK ("customers"."status" in ('ACTIVE', 'SUSPENDED')),
	CONSTRAINT "customers_gender_ck" CHECK ("customers"."gender" is null or "customers"."gender" in ('MALE', 'FEMALE', 'UNSPECIFIED')),
	CONSTRAINT "customers_risk_score_ck" CHECK ("customers"."screening_risk_score" is null or "customers"."screening_risk_score" in ('LOW', 'MEDIUM', 'HIGH')),
	CONSTRAINT "customers_name_ck" CHECK (("customers"."kind" = 'PRIVATE' and "customers"."first_name" is not null and "customers"."last_name" is not null)
        or ("customers"."kind" = 'BUSINESS' and "customers"."business_name" is not null)),
	CONSTRAINT "customers_not_own_parent_ck" CHECK ("customers"."parent_id" is null or "customers"."parent_id" <> "customers"."id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"organization_id" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" text,
	"reference" jsonb,
	"locked_until" bigint,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "idempotency_keys_organization_id_key_pk" PRIMARY KEY("organization_id","key")
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"type" text NOT NULL,
	"number" text NOT NULL,
	"issuing_country" text NOT NULL,
	"issued_on" text,
	"expires_on" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "identities_type_ck" CHECK ("identities"."type" in ('PASSPORT', 'NATIONAL_ID', 'DRIVING_LICENSE', 'RESIDENCE_PERMIT', 'TAX_ID', 'SSN', 'ADDRESS_PROOF'))
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" text,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_link_id" text NOT NULL,
	"provider" text NOT NULL,
	"operation" text NOT NULL,
	"payload" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"claimed_by" text,
	"claimed_until" bigint,
	"last_error" text,
	"uncertain" boolean DEFAULT false NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"updated_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "outbox_provider_ck" CHECK ("outbox"."provider" in ('ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION')),
	CONSTRAINT "outbox_status_ck" CHECK ("outbox"."status" in ('PENDING', 'IN_FLIGHT', 'DONE', 'DEAD'))
);
--> statement-breakpoint
CREATE TABLE "outbox_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"outbox_id" text NOT NULL,
	"attempted_at" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	"outcome" text NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "provider_links" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"provider" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"external_id" text,
	"request_id" text,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"omitted" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"options" jsonb,
	"dead_lettered_at" bigint,
	"last_attempt_at" bigint,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	"updated_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "provider_links_provider_ck" CHECK ("provider_links"."provider" in ('ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION')),
	CONSTRAINT "provider_links_status_ck" CHECK ("provider_links"."status" in ('PENDING', 'IN_PROGRESS', 'SYNCED', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "relationship_members" (
	"relationship_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "relationship_members_relationship_id_customer_id_pk" PRIMARY KEY("relationship_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "relationships" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"relationship_number" text NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reserved_customer_numbers" (
	"customer_number" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"provider" text NOT NULL,
	"reserved_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_relationship_id_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."relationships"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_holder_id_customers_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_parent_id_customers_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_parent_id_organizations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_provider_link_id_provider_links_id_fk" FOREIGN KEY ("provider_link_id") REFERENCES "public"."provider_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_attempts" ADD CONSTRAINT "outbox_attempts_outbox_id_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_links" ADD CONSTRAINT "provider_links_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_members" ADD CONSTRAINT "relationship_members_relationship_id_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."relationships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_members" ADD CONSTRAINT "relationship_members_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reserved_customer_numbers" ADD CONSTRAINT "reserved_customer_numbers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_holders_customer_id_idx" ON "account_holders" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "account_holders_one_primary_uq" ON "account_holders" USING btree ("account_id") WHERE "account_holders"."is_primary";--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_account_number_uq" ON "accounts" USING btree ("organization_id","account_number");--> statement-breakpoint
CREATE INDEX "accounts_account_number_idx" ON "accounts" USING btree ("account_number");--> statement-breakpoint
CREATE INDEX "accounts_relationship_id_idx" ON "accounts" USING btree ("relationship_id");--> statement-breakpoint
CREATE INDEX "addresses_customer_id_idx" ON "addresses" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "api_keys_organization_id_idx" ON "api_keys" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_id_idx" ON "audit_events" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_organization_id_idx" ON "audit_events" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "cards_account_id_idx" ON "cards" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "cards_holder_id_idx" ON "cards" USING btree ("holder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_customer_number_uq" ON "customers" USING btree ("customer_number");--> statement-breakpoint
CREATE INDEX "customers_organization_created_at_id_idx" ON "customers" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_parent_id_idx" ON "customers" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "customers_created_at_id_idx" ON "customers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "identities_customer_id_idx" ON "identities" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "organizations_parent_id_idx" ON "organizations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_provider_link_id_idx" ON "outbox" USING btree ("provider_link_id");--> statement-breakpoint
CREATE INDEX "outbox_attempts_outbox_id_idx" ON "outbox_attempts" USING btree ("outbox_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_links_customer_provider_uq" ON "provider_links" USING btree ("customer_id","provider");--> statement-breakpoint
CREATE INDEX "provider_links_status_idx" ON "provider_links" USING btree ("status");--> statement-breakpoint
CREATE INDEX "relationship_members_customer_id_idx" ON "relationship_members" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "relationships_relationship_number_uq" ON "relationships" USING btree ("relationship_number");--> statement-breakpoint
CREATE INDEX "reserved_customer_numbers_organization_id_idx" ON "reserved_customer_numbers" USING btree ("organization_id");