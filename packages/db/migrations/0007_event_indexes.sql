DROP INDEX "events_user_seq_idx";--> statement-breakpoint
DROP INDEX "events_correlation_idx";--> statement-breakpoint
CREATE INDEX "events_user_idx" ON "events" USING gin ((ARRAY["user_id", "user_login"])) WHERE "events"."user_id" IS NOT NULL;