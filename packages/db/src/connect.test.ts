import { describe, expect, it } from "bun:test";
import { classifyConnectError } from "./connect";

/** An error as postgres.js or Node raise it: a message and a code. */
function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** As drizzle wraps a driver error: "Failed query: …" with the driver's error as its cause. */
function wrapped(cause: Error): Error {
  return new Error('Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"', { cause });
}

describe("classifyConnectError", () => {
  it.each([
    ["a database that does not exist", failure('database "nope" does not exist', "3D000")],
    ["a wrong password", failure('password authentication failed for user "x"', "28P01")],
    ["an unknown role", failure('role "x" does not exist', "28000")],
    ["a role that may not create the schema", failure("permission denied for database t", "42501")],
    ["a host that does not resolve", failure("getaddrinfo ENOTFOUND db.example", "ENOTFOUND")],
    ["a URL that does not parse", failure("Invalid URL", "ERR_INVALID_URL")],
  ])("calls %s permanent", (_, error) => {
    expect(classifyConnectError(wrapped(error)).permanent).toBe(true);
  });

  it.each([
    ["a refused connection", failure("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["a connect timeout", failure("write CONNECT_TIMEOUT db:5432", "CONNECT_TIMEOUT")],
    ["a server starting up", failure("the database system is starting up", "57P03")],
    ["a reset connection", failure("read ECONNRESET", "ECONNRESET")],
    ["a temporary DNS failure", failure("getaddrinfo EAI_AGAIN db", "EAI_AGAIN")],
    ["an error it does not know", new Error("something else")],
  ])("calls %s transient", (_, error) => {
    expect(classifyConnectError(wrapped(error)).permanent).toBe(false);
  });

  it("names the driver's error and code, not drizzle's wrapper", () => {
    const { cause } = classifyConnectError(
      wrapped(failure('database "no_such_db" does not exist', "3D000")),
    );
    expect(cause).toBe('database "no_such_db" does not exist (3D000)');
  });
});
