CREATE TABLE "contexts" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"transcript" text NOT NULL,
	"chat" jsonb NOT NULL,
	"interactions" jsonb NOT NULL,
	"emotes" jsonb NOT NULL,
	"analysis" jsonb NOT NULL,
	"source" text NOT NULL,
	"source_detail" text NOT NULL,
	"sentiment" text NOT NULL,
	"energy" double precision NOT NULL
);
--> statement-breakpoint
CREATE INDEX "contexts_ended_id_idx" ON "contexts" USING btree ("ended_at","id");--> statement-breakpoint
CREATE INDEX "contexts_session_ended_idx" ON "contexts" USING btree ("session_id","ended_at");--> statement-breakpoint
CREATE INDEX "contexts_search_idx" ON "contexts" USING gin (to_tsvector('english', "transcript" || ' ' || ("analysis" ->> 'context')));