import { describe, expect, it } from "bun:test";
import { servedByHub } from "./browser-sources";

const hub = { host: "127.0.0.1", port: 7175, allowedHosts: ["mybox.tailnet.ts.net"] };

describe("servedByHub", () => {
  it.each([
    "http://127.0.0.1:7175/overlays/omnibar/?token=abc",
    "http://localhost:7175/overlays/alerts/",
    "http://[::1]:7175/overlays/",
    "https://mybox.tailnet.ts.net/overlays/ticker/",
    "http://MyBox.tailnet.ts.net:8080/overlays/",
  ])("knows %s as the hub's", (url) => {
    expect(servedByHub(url, hub)).toBe(true);
  });

  it.each([
    "http://127.0.0.1:8080/overlays/",
    "https://streamelements.com/overlay/123",
    "http://192.168.1.20:7175/overlays/",
    "file:///home/streamer/overlay.html",
    "not a url",
    42,
    undefined,
  ])("leaves %p alone", (url) => {
    expect(servedByHub(url, hub)).toBe(false);
  });

  it("takes any address of the machine when the hub listens on all of them", () => {
    expect(servedByHub("http://192.168.1.20:7175/overlays/", { ...hub, host: "0.0.0.0" })).toBe(
      true,
    );
  });
});
