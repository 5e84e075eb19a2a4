/** A fresh Postgres database reached through a proxy a test can cut: an outage without stopping the shared server. */
import { openTestDatabase, type TestDatabase } from "@landale/db/testing";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

export interface PostgresBehindProxy {
  test: TestDatabase;
  proxy: TcpProxy;
  /** The database's URL through the proxy: what the hub under test connects to. */
  url: string;
}

export async function postgresBehindProxy(): Promise<PostgresBehindProxy> {
  const test = await openTestDatabase("postgres");
  if (test.url === null) throw new Error('openTestDatabase("postgres") gave no URL');
  const target = new URL(test.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || "5432") });
  const throughProxy = new URL(test.url);
  throughProxy.hostname = "127.0.0.1";
  throughProxy.port = String(proxy.port);
  return { test, proxy, url: throughProxy.toString() };
}
