/**
 * The fake's stand-in for twitch.tv/activate: the page a device code's verification_uri opens.
 * It shows the code and the scopes asked for; "Authorize" or "Cancel" POSTs back, so a browser
 * test signs in the way a user would.
 */
import { z } from "zod";
import type { FakeTwitchUser, IdentityState } from "./state";
import { formFields } from "./wire";

const Decision = z.object({
  user_code: z.string().trim().min(1),
  action: z.enum(["approve", "deny"]),
});

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${Bun.escapeHTML(title)} - Twitch</title></head>
<body>
<main>
<h1>${Bun.escapeHTML(title)}</h1>
${body}
</main>
</body>
</html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

export interface ActivateDeps {
  identity: IdentityState;
  user: FakeTwitchUser;
  /** What an approval grants; undefined grants what the app asked for. */
  approvedScopes: string[] | undefined;
  /** The fake's clock, epoch milliseconds. */
  now: () => number;
}

export function createActivatePage(deps: ActivateDeps): (request: Request) => Promise<Response> {
  const waiting = (userCode: string) => {
    const device = deps.identity.findDevice(userCode);
    if (!device) return null;
    return device.status === "pending" && device.expiresAt > deps.now() ? device : null;
  };

  const show = (url: URL): Response => {
    const code = url.searchParams.get("device-code");
    if (!code) {
      return page(
        "Activate your device",
        `<form method="get" action="/activate">
<label>Enter the code shown on your device <input name="device-code" autocomplete="off"></label>
<button type="submit">Continue</button>
</form>`,
      );
    }
    const device = waiting(code);
    if (!device) return page("Invalid code", "<p>This code is not valid or has expired.</p>", 404);
    const scopes = device.scopes.map((scope) => `<li>${Bun.escapeHTML(scope)}</li>`).join("");
    return page(
      "Activate your device",
      `<p>Signed in as <strong>${Bun.escapeHTML(deps.user.display_name)}</strong>.</p>
<p>Code: <code data-testid="user-code">${Bun.escapeHTML(device.userCode)}</code></p>
<p>The app asks to:</p>
<ul>${scopes}</ul>
<form method="post" action="/activate">
<input type="hidden" name="user_code" value="${Bun.escapeHTML(device.userCode)}">
<button type="submit" name="action" value="approve">Authorize</button>
<button type="submit" name="action" value="deny">Cancel</button>
</form>`,
    );
  };

  const decide = async (request: Request): Promise<Response> => {
    const parsed = Decision.safeParse(await formFields(request));
    if (!parsed.success) return page("Bad request", "<p>Choose Authorize or Cancel.</p>", 400);
    const { user_code: userCode, action } = parsed.data;
    if (!waiting(userCode)) {
      return page("Invalid code", "<p>This code is not valid or has expired.</p>", 404);
    }
    if (action === "deny") {
      deps.identity.deny(userCode);
      return page("Cancelled", "<p>The device was not connected.</p>");
    }
    deps.identity.approve(userCode, deps.approvedScopes);
    return page("Success!", "<p>Your device is connected. You can close this page.</p>");
  };

  return async (request) => {
    if (request.method === "GET") return show(new URL(request.url));
    if (request.method === "POST") return decide(request);
    return page("Method not allowed", "", 405);
  };
}
