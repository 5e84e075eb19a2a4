/** The Rainwave integration's refusals, in the hub's terms (REST bodies and channel replies). */
import { AppError } from "../errors";

export function rainwaveNotConfigured(): AppError {
  return new AppError(
    409,
    "rainwave_not_configured",
    "Rainwave is not configured: set RAINWAVE_USER_ID and RAINWAVE_API_KEY (from rainwave.cc/keys) and restart the hub",
  );
}
