CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text DEFAULT 'person' NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"company" text,
	"lead_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "interactions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_id" text,
	"customer_id" text,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"body" text,
	"due_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"due_notified_at" timestamp with time zone,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interactions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "leads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"phone_digits" text,
	"company" text,
	"source" text,
	"notes" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stage" text DEFAULT 'new' NOT NULL,
	"lost_reason" text,
	"owner_id" text,
	"score" integer DEFAULT 0 NOT NULL,
	"score_signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"customer_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "reply_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"body" text NOT NULL,
	"min_rating" integer DEFAULT 1 NOT NULL,
	"max_rating" integer DEFAULT 5 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reply_templates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "review_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"campaign" text NOT NULL,
	"customer_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"source" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "review_webhook_keys" (
	"tenant_id" text NOT NULL,
	"source" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_webhook_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"location" text DEFAULT 'main' NOT NULL,
	"reviewer_name" text NOT NULL,
	"reviewer_email" text,
	"rating" integer NOT NULL,
	"comment" text,
	"create_time" timestamp with time zone NOT NULL,
	"update_time" timestamp with time zone NOT NULL,
	"reply_text" text,
	"reply_state" text DEFAULT 'none' NOT NULL,
	"reply_updated_at" timestamp with time zone,
	"reply_by" text,
	"sentiment" real DEFAULT 0 NOT NULL,
	"sentiment_label" text DEFAULT 'neutral' NOT NULL,
	"sentiment_by" text DEFAULT 'lexicon' NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"customer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reviews" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "customers_tenant_email_idx" ON "customers" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "interactions_customer_idx" ON "interactions" USING btree ("customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_lead_idx" ON "interactions" USING btree ("lead_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_due_idx" ON "interactions" USING btree ("kind","due_at");--> statement-breakpoint
CREATE INDEX "leads_tenant_stage_idx" ON "leads" USING btree ("tenant_id","stage");--> statement-breakpoint
CREATE INDEX "leads_tenant_email_idx" ON "leads" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "leads_tenant_phone_idx" ON "leads" USING btree ("tenant_id","phone_digits");--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reply_templates_tenant_name_key" ON "reply_templates" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "review_requests_campaign_idx" ON "review_requests" USING btree ("tenant_id","campaign");--> statement-breakpoint
CREATE UNIQUE INDEX "review_webhook_keys_key" ON "review_webhook_keys" USING btree ("tenant_id","source");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_source_external_key" ON "reviews" USING btree ("tenant_id","source","external_id");--> statement-breakpoint
CREATE INDEX "reviews_tenant_time_idx" ON "reviews" USING btree ("tenant_id","create_time");--> statement-breakpoint
CREATE POLICY "customers_tenant_isolation" ON "customers" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("customers"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("customers"."tenant_id"));--> statement-breakpoint
CREATE POLICY "interactions_tenant_isolation" ON "interactions" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("interactions"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("interactions"."tenant_id"));--> statement-breakpoint
CREATE POLICY "leads_tenant_isolation" ON "leads" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("leads"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("leads"."tenant_id"));--> statement-breakpoint
CREATE POLICY "reply_templates_tenant_isolation" ON "reply_templates" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("reply_templates"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("reply_templates"."tenant_id"));--> statement-breakpoint
CREATE POLICY "review_requests_tenant_isolation" ON "review_requests" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("review_requests"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("review_requests"."tenant_id"));--> statement-breakpoint
CREATE POLICY "review_webhook_keys_tenant_isolation" ON "review_webhook_keys" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("review_webhook_keys"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("review_webhook_keys"."tenant_id"));--> statement-breakpoint
CREATE POLICY "reviews_tenant_isolation" ON "reviews" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("reviews"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("reviews"."tenant_id"));