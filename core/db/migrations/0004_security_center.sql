CREATE TABLE "audit_chain_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "impersonations" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_id" text NOT NULL,
	"subject_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "impersonations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "mfa_recovery_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "mfa_recovery_codes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "stage" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "password_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "mfa_secret" text;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "mfa_pending_secret" text;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "mfa_enabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD COLUMN "mfa_last_step" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "avatar_file" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notification_prefs" jsonb DEFAULT '{"email":{"securityAlerts":true,"leadUpdates":true,"reviewAlerts":true,"billing":true},"inApp":{"securityAlerts":true,"leadUpdates":true,"reviewAlerts":true,"billing":true}}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "impersonations" ADD CONSTRAINT "impersonations_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impersonations" ADD CONSTRAINT "impersonations_subject_id_users_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "impersonations_actor_idx" ON "impersonations" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "mfa_recovery_codes_user_idx" ON "mfa_recovery_codes" USING btree ("user_id");--> statement-breakpoint
CREATE POLICY "impersonations_tenant_isolation" ON "impersonations" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("impersonations"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("impersonations"."tenant_id"));--> statement-breakpoint
CREATE POLICY "mfa_recovery_codes_tenant_isolation" ON "mfa_recovery_codes" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("mfa_recovery_codes"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("mfa_recovery_codes"."tenant_id"));--> statement-breakpoint
CREATE POLICY "mfa_recovery_codes_own_rows" ON "mfa_recovery_codes" AS PERMISSIVE FOR ALL TO public USING ("mfa_recovery_codes"."user_id" = current_setting('app.user_id', true) and "mfa_recovery_codes"."tenant_id" = current_setting('app.home_tenant_id', true)) WITH CHECK ("mfa_recovery_codes"."user_id" = current_setting('app.user_id', true) and "mfa_recovery_codes"."tenant_id" = current_setting('app.home_tenant_id', true));