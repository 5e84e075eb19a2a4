/** A user signs in on the fake's activation page in Chromium, as they would on twitch.tv/activate. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../browser";
import { type FakeTwitch, startFakeTwitch } from "./fake";
import { CLIENT_ID, pollDevice, requestDevice, TokenAnswer } from "./fake-client";

let browser: Browser;
let twitch: FakeTwitch;

beforeAll(async () => {
  browser = await launchBrowser();
  twitch = startFakeTwitch({ clientId: CLIENT_ID });
});

afterAll(async () => {
  await browser.close();
  await twitch.stop();
});

test("clicking Authorize on the verification page grants the device its tokens", async () => {
  const device = await requestDevice(twitch);
  const page = await browser.newPage();
  try {
    await page.goto(device.verification_uri);
    expect(await page.getByTestId("user-code").textContent()).toBe(device.user_code);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByText("Your device is connected").waitFor();
  } finally {
    await page.close();
  }
  const response = await pollDevice(twitch, device.device_code);
  expect(response.status).toBe(200);
  expect(TokenAnswer.parse(await response.json()).scope).toContain("channel:manage:broadcast");
});

test("typing the code on the bare activation page leads to the same approval", async () => {
  const device = await requestDevice(twitch);
  const page = await browser.newPage();
  try {
    await page.goto(`${twitch.url}/activate`);
    await page.getByLabel("Enter the code shown on your device").fill(device.user_code);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByText("Your device is connected").waitFor();
  } finally {
    await page.close();
  }
  expect((await pollDevice(twitch, device.device_code)).status).toBe(200);
});
