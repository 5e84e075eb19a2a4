CREATE TABLE "stream_state" (
	"id" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
