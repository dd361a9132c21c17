CREATE TABLE "registry_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"service_id" text NOT NULL,
	"credentials" text,
	"credential_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"connected_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"credentials_rotated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "registry_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "registry_services" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"vendor" text NOT NULL,
	"description" text,
	"website" text,
	"affiliate_url" text,
	"featured" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"onboarding_visible" boolean DEFAULT false NOT NULL,
	"tiers" jsonb DEFAULT '["starter","pro","enterprise"]'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"new_in_january_2026" boolean DEFAULT false NOT NULL,
	"integrated" boolean DEFAULT false NOT NULL,
	"connection" jsonb,
	"auth" text DEFAULT 'none' NOT NULL,
	"credential_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"package" jsonb,
	"version" text DEFAULT '1.0.0' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "registry_connections" ADD CONSTRAINT "registry_connections_service_id_registry_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."registry_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_connections_tenant_service_key" ON "registry_connections" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE INDEX "registry_connections_service_idx" ON "registry_connections" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_services_name_key" ON "registry_services" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "registry_services_category_idx" ON "registry_services" USING btree ("category","sort_order");--> statement-breakpoint
CREATE POLICY "registry_connections_tenant_isolation" ON "registry_connections" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("registry_connections"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("registry_connections"."tenant_id"));--> statement-breakpoint
CREATE POLICY "registry_connections_removed_read" ON "registry_connections" AS PERMISSIVE FOR SELECT TO public USING (exists (select 1 from registry_services s where s.id = "registry_connections"."service_id" and s.status = 'removed'));--> statement-breakpoint
CREATE POLICY "registry_connections_removed_delete" ON "registry_connections" AS PERMISSIVE FOR DELETE TO public USING (exists (select 1 from registry_services s where s.id = "registry_connections"."service_id" and s.status = 'removed'));