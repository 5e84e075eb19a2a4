/**
 * The fake model's request check: a chat completion body parsed with zod, and the first problem
 * turned into the 400 OpenAI answers for it (`Missing required parameter: 'messages'.`,
 * `Invalid type for 'temperature': …`, `Invalid value: 'robot'. Supported values are: …`), with
 * OpenAI's `param` path (`messages[0].role`) and `code`.
 */
import { type core, z } from "zod";

export const ROLES = ["system", "assistant", "user", "function", "tool", "developer"] as const;
export const RESPONSE_FORMATS = ["text", "json_object", "json_schema"] as const;
const INTEGER_PARAMS = new Set(["max_tokens", "max_completion_tokens"]);
export type ResponseFormatType = (typeof RESPONSE_FORMATS)[number];

const TextPart = z.object({ type: z.literal("text"), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart).min(1)]);

const Message = z
  .object({
    role: z.enum(ROLES),
    content: Content.nullable().optional(),
    name: z.string().optional(),
  })
  .superRefine((message, context) => {
    // Only an assistant turn (one that called tools) may come without content.
    if (message.role !== "assistant" && message.content == null)
      context.addIssue({
        code: "invalid_type",
        expected: "string",
        path: ["content"],
        input: undefined,
      });
  });

const JsonSchemaFormat = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullable().optional(),
});

const ResponseFormat = z.object({
  type: z.enum(RESPONSE_FORMATS),
  json_schema: JsonSchemaFormat.optional(),
});

export const ChatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.int().min(1).nullable().optional(),
  max_completion_tokens: z.int().min(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  response_format: ResponseFormat.optional(),
});
/** A chat completion request as the fake accepted it (unknown fields are left out). */
export type FakeChatRequest = z.infer<typeof ChatRequest>;

/** The fields of OpenAI's error envelope, `{"error": {message, type, param, code}}`. */
export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export type ChatRequestCheck =
  | { ok: true; request: FakeChatRequest }
  | { ok: false; error: OpenAiError };

export function checkChatRequest(
  body: unknown,
  accepted: readonly ResponseFormatType[],
): ChatRequestCheck {
  const parsed = ChatRequest.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as core.$ZodIssue;
    return { ok: false, error: describe(issue, body) };
  }
  const request = parsed.data;
  const format = request.response_format;
  if (request.stream) return refused(invalid("The fake model does not stream.", "stream", null));
  if (format?.type === "json_schema" && !format.json_schema)
    return refused(missing("response_format.json_schema"));
  if (format && !accepted.includes(format.type))
    return refused(
      invalid(
        `Invalid value: '${format.type}'. Supported values are: ${listed(accepted)}.`,
        "response_format.type",
        "invalid_value",
      ),
    );
  // OpenAI refuses JSON mode unless the prompt itself asks for JSON.
  if (format?.type === "json_object" && !mentionsJson(request))
    return refused(
      invalid(
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        "messages",
        null,
      ),
    );
  return { ok: true, request };
}

const refused = (error: OpenAiError): ChatRequestCheck => ({ ok: false, error });

function mentionsJson(request: FakeChatRequest): boolean {
  return request.messages.some((message) => {
    const content = message.content;
    const text =
      typeof content === "string" ? content : (content ?? []).map((part) => part.text).join(" ");
    return /json/i.test(text);
  });
}

function describe(issue: core.$ZodIssue, body: unknown): OpenAiError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return invalid(
      `Invalid type for request body: expected an object, but got ${kind(body)} instead.`,
      null,
      "invalid_type",
    );
  const param = paramOf(issue.path);
  if (param === "model" && (issue.input === undefined || issue.input === ""))
    return invalid("you must provide a model parameter", null, null);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return missing(param);
      return invalid(
        `Invalid type for '${param}': expected ${article(issue.expected)}, but got ${kind(issue.input)} instead.`,
        param,
        "invalid_type",
      );
    case "invalid_union":
      return invalid(
        `Invalid type for '${param}': expected one of a string or array of objects, but got ${kind(issue.input)} instead.`,
        param,
        "invalid_type",
      );
    case "invalid_value":
      return invalid(
        `Invalid value: '${String(issue.input)}'. Supported values are: ${listed(issue.values.map(String))}.`,
        param,
        "invalid_value",
      );
    case "too_small":
      if (issue.origin === "array")
        return invalid(
          `Invalid '${param}': empty array. Expected an array with minimum length ${issue.minimum}, but got an empty array instead.`,
          param,
          "empty_array",
        );
      return invalid(
        `Invalid '${param}': ${numberKind(param)} below minimum value. Expected a value >= ${issue.minimum}, but got ${String(issue.input)} instead.`,
        param,
        `${numberKind(param)}_below_min_value`,
      );
    case "too_big":
      return invalid(
        `Invalid '${param}': ${numberKind(param)} above maximum value. Expected a value <= ${issue.maximum}, but got ${String(issue.input)} instead.`,
        param,
        `${numberKind(param)}_above_max_value`,
      );
    case "invalid_format":
      return invalid(
        `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        param,
        "invalid_value",
      );
    default:
      return invalid(`Invalid '${param}': ${issue.message}.`, param, "invalid_value");
  }
}

function invalid(message: string, param: string | null, code: string | null): OpenAiError {
  return { message, type: "invalid_request_error", param, code };
}

function missing(param: string): OpenAiError {
  return invalid(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
}

/** `["messages", 0, "role"]` → `messages[0].role`, as OpenAI names a field. */
function paramOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** `'a', 'b', and 'c'`, as OpenAI lists supported values. */
function listed(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  if (quoted.length < 2) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: "a string",
    number: "a decimal",
    int: "an integer",
    array: "an array",
    object: "an object",
    boolean: "a boolean",
  };
  return names[expected] ?? expected;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a decimal";
  if (typeof value === "string") return "a string";
  if (typeof value === "boolean") return "a boolean";
  return "an object";
}

/** OpenAI names a bound by the parameter's type, not by the value sent. */
function numberKind(param: string): "integer" | "decimal" {
  return INTEGER_PARAMS.has(param) ? "integer" : "decimal";
}
