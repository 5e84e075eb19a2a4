CREATE TABLE "ironmon_challenges" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"game" integer NOT NULL,
	CONSTRAINT "ironmon_challenges_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "ironmon_checkpoints" (
	"id" integer PRIMARY KEY NOT NULL,
	"challenge_id" integer NOT NULL,
	"name" text NOT NULL,
	"trainer" text NOT NULL,
	"order" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ironmon_results" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ironmon_results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"run_id" integer NOT NULL,
	"checkpoint_id" integer NOT NULL,
	"cleared" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ironmon_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ironmon_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"challenge_id" integer NOT NULL,
	"seed" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
ALTER TABLE "ironmon_checkpoints" ADD CONSTRAINT "ironmon_checkpoints_challenge_id_ironmon_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "public"."ironmon_challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ironmon_results" ADD CONSTRAINT "ironmon_results_run_id_ironmon_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ironmon_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ironmon_results" ADD CONSTRAINT "ironmon_results_checkpoint_id_ironmon_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."ironmon_checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ironmon_runs" ADD CONSTRAINT "ironmon_runs_challenge_id_ironmon_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "public"."ironmon_challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ironmon_checkpoints_order_idx" ON "ironmon_checkpoints" USING btree ("challenge_id","order");--> statement-breakpoint
CREATE UNIQUE INDEX "ironmon_checkpoints_name_idx" ON "ironmon_checkpoints" USING btree ("challenge_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "ironmon_results_run_checkpoint_idx" ON "ironmon_results" USING btree ("run_id","checkpoint_id");--> statement-breakpoint
CREATE INDEX "ironmon_results_checkpoint_idx" ON "ironmon_results" USING btree ("checkpoint_id");--> statement-breakpoint
CREATE INDEX "ironmon_results_at_idx" ON "ironmon_results" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "ironmon_runs_started_idx" ON "ironmon_runs" USING btree ("started_at","id");--> statement-breakpoint
-- Kaizo IronMON on FireRed/LeafGreen (game 3) and its 24 checkpoints; the tracker's checkpoint ids are these orders.
INSERT INTO "ironmon_challenges" ("id", "name", "game") VALUES (1, 'Kaizo IronMON', 3);--> statement-breakpoint
INSERT INTO "ironmon_checkpoints" ("id", "challenge_id", "name", "trainer", "order") VALUES
	(1, 1, 'LAB', 'None', 1),
	(2, 1, 'RIVAL1', 'Rival', 2),
	(3, 1, 'FIRSTTRAINER', 'Trainer', 3),
	(4, 1, 'RIVAL2', 'Rival', 4),
	(5, 1, 'BROCK', 'Brock', 5),
	(6, 1, 'RIVAL3', 'Rival', 6),
	(7, 1, 'RIVAL4', 'Rival', 7),
	(8, 1, 'MISTY', 'Misty', 8),
	(9, 1, 'SURGE', 'Surge', 9),
	(10, 1, 'RIVAL5', 'Rival', 10),
	(11, 1, 'ROCKETHIDEOUT', 'Giovanni', 11),
	(12, 1, 'ERIKA', 'Erika', 12),
	(13, 1, 'KOGA', 'Koga', 13),
	(14, 1, 'RIVAL6', 'Rival', 14),
	(15, 1, 'SILPHCO', 'Giovanni', 15),
	(16, 1, 'SABRINA', 'Sabrina', 16),
	(17, 1, 'BLAINE', 'Blaine', 17),
	(18, 1, 'GIOVANNI', 'Giovanni', 18),
	(19, 1, 'RIVAL7', 'Rival', 19),
	(20, 1, 'LORELAI', 'Lorelai', 20),
	(21, 1, 'BRUNO', 'Bruno', 21),
	(22, 1, 'AGATHA', 'Agatha', 22),
	(23, 1, 'LANCE', 'Lance', 23),
	(24, 1, 'CHAMP', 'Champ', 24);
