CREATE TABLE "twitch_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"user_id" text NOT NULL,
	"login" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
