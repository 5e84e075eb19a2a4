import { describe, expect, it } from "bun:test";
import { pageConfigFrom } from "./config";

const at = (search: string, protocol = "http:", host = "localhost:7175") =>
  pageConfigFrom({ protocol, host, search });

describe("page config", () => {
  it("connects to the socket on the page's own origin", () => {
    expect(at("").socketUrl).toBe("ws://localhost:7175/socket");
    expect(at("", "https:", "hub.example:443").socketUrl).toBe("wss://hub.example:443/socket");
  });

  it("passes ?token= as the socket's token param", () => {
    expect(at("?token=s3cret").params).toEqual({ token: "s3cret" });
    expect(at("").params).toEqual({});
    expect(at("?token=").params).toEqual({});
  });

  it("turns debug mode on with ?debug and off without it", () => {
    expect(at("").debug).toBe(false);
    expect(at("?debug").debug).toBe(true);
    expect(at("?token=x&debug=1").debug).toBe(true);
    expect(at("?debug=0").debug).toBe(false);
    expect(at("?debug=false").debug).toBe(false);
  });

  it("points at another hub with ?hub=", () => {
    expect(at("?hub=http://127.0.0.1:7299").socketUrl).toBe("ws://127.0.0.1:7299/socket");
    expect(at("?hub=wss://hub.tail.net/socket").socketUrl).toBe("wss://hub.tail.net/socket");
  });

  it("ignores a ?hub= that is not a hub address", () => {
    expect(at("?hub=javascript:alert(1)").socketUrl).toBe("ws://localhost:7175/socket");
    expect(at("?hub=not a url").socketUrl).toBe("ws://localhost:7175/socket");
  });
});
