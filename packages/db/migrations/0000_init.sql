CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"type" text NOT NULL,
	"source" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"correlation_id" text NOT NULL,
	"user_id" text,
	"user_login" text,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"text" text NOT NULL,
	"source_id" text,
	"confidence" real,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "events_seq_idx" ON "events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "events_ts_idx" ON "events" USING btree ("ts" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_type_seq_idx" ON "events" USING btree ("type","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_user_seq_idx" ON "events" USING btree ("user_id","seq" DESC NULLS LAST) WHERE "events"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_correlation_idx" ON "events" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "transcriptions_ts_idx" ON "transcriptions" USING btree ("ts" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transcriptions_session_ts_idx" ON "transcriptions" USING btree ("session_id","ts");