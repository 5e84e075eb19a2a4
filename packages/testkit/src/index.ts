/** @landale/testkit — utilities for tests across the workspaces. */
export { freePort } from "./ports";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy";
