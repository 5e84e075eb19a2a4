/** The one error shape: REST error bodies and channel error replies both carry it. */
import { z } from "zod";

export const ErrorBody = z.object({
  code: z.string().min(1),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
