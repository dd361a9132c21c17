CREATE TABLE "domain_events" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"actor_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "domain_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agent_definitions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"instructions" text NOT NULL,
	"allowed_tools" jsonb NOT NULL,
	"model" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_definitions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "agent_settings" (
	"user_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"approve_writes" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "agent_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"agent" text NOT NULL,
	"model" text NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"tool_calls" integer DEFAULT 0 NOT NULL,
	"conversation_id" text,
	"task_run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"agent" text NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "memories" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"text" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memories" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"parts" jsonb NOT NULL,
	"metadata" jsonb,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"trigger" text NOT NULL,
	"event_id" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"reply" text,
	"tool_calls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "task_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"agent" text NOT NULL,
	"instruction" text NOT NULL,
	"schedule" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"event" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_events_pending_idx" ON "domain_events" USING btree ("dispatched_at","created_at");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("status","run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_definitions_tenant_name_key" ON "agent_definitions" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "agent_usage_tenant_idx" ON "agent_usage" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_user_idx" ON "conversations" USING btree ("user_id","updated_at");--> statement-breakpoint
CREATE INDEX "memories_user_idx" ON "memories" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_position_key" ON "messages" USING btree ("conversation_id","position");--> statement-breakpoint
CREATE INDEX "task_runs_task_idx" ON "task_runs" USING btree ("task_id","queued_at");--> statement-breakpoint
CREATE INDEX "tasks_due_idx" ON "tasks" USING btree ("enabled","next_run_at");--> statement-breakpoint
CREATE INDEX "tasks_event_idx" ON "tasks" USING btree ("event");--> statement-breakpoint
CREATE POLICY "domain_events_tenant_isolation" ON "domain_events" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("domain_events"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("domain_events"."tenant_id"));--> statement-breakpoint
CREATE POLICY "agent_definitions_tenant_isolation" ON "agent_definitions" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("agent_definitions"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("agent_definitions"."tenant_id"));--> statement-breakpoint
CREATE POLICY "agent_settings_owner_only" ON "agent_settings" AS PERMISSIVE FOR ALL TO public USING ("agent_settings"."user_id" = current_setting('app.user_id', true) and "agent_settings"."tenant_id" = current_setting('app.home_tenant_id', true)) WITH CHECK ("agent_settings"."user_id" = current_setting('app.user_id', true) and "agent_settings"."tenant_id" = current_setting('app.home_tenant_id', true));--> statement-breakpoint
CREATE POLICY "agent_usage_tenant_isolation" ON "agent_usage" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("agent_usage"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("agent_usage"."tenant_id"));--> statement-breakpoint
CREATE POLICY "conversations_owner_only" ON "conversations" AS PERMISSIVE FOR ALL TO public USING ("conversations"."user_id" = current_setting('app.user_id', true) and "conversations"."tenant_id" = current_setting('app.home_tenant_id', true)) WITH CHECK ("conversations"."user_id" = current_setting('app.user_id', true) and "conversations"."tenant_id" = current_setting('app.home_tenant_id', true));--> statement-breakpoint
CREATE POLICY "memories_owner_only" ON "memories" AS PERMISSIVE FOR ALL TO public USING ("memories"."user_id" = current_setting('app.user_id', true) and "memories"."tenant_id" = current_setting('app.home_tenant_id', true)) WITH CHECK ("memories"."user_id" = current_setting('app.user_id', true) and "memories"."tenant_id" = current_setting('app.home_tenant_id', true));--> statement-breakpoint
CREATE POLICY "messages_owner_only" ON "messages" AS PERMISSIVE FOR ALL TO public USING ("messages"."user_id" = current_setting('app.user_id', true) and "messages"."tenant_id" = current_setting('app.home_tenant_id', true)) WITH CHECK ("messages"."user_id" = current_setting('app.user_id', true) and "messages"."tenant_id" = current_setting('app.home_tenant_id', true));--> statement-breakpoint
CREATE POLICY "task_runs_tenant_isolation" ON "task_runs" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("task_runs"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("task_runs"."tenant_id"));--> statement-breakpoint
CREATE POLICY "tasks_tenant_isolation" ON "tasks" AS PERMISSIVE FOR ALL TO public USING (bizosaas_tenant_visible("tasks"."tenant_id")) WITH CHECK (bizosaas_tenant_visible("tasks"."tenant_id"));