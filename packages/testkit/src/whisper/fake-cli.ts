/**
 * The fake whisper-cli program (run by the script `createFakeWhisperCli()` writes): whisper.cpp's
 * examples/cli on the outside — its flags, checks, exit codes, stdout lines and `-oj`/`-otxt`
 * files — with the transcript taken from the test's script instead of a model. Each run takes the
 * next answer from `<dir>/answers.json` (the last one repeats) and appends what it
 * was asked to `invocations.jsonl`; the script passes `<dir>` ahead of whisper-cli's arguments.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseWav } from "../audio/wav";
import { parseWhisperCliArgs, WHISPER_CLI_USAGE } from "./cli-args";
import type { FakeWhisperAnswer, FakeWhisperInvocation } from "./fake-types";

const LANGUAGES =
  "en:english zh:chinese de:german es:spanish ru:russian ko:korean fr:french ja:japanese pt:portuguese tr:turkish pl:polish ca:catalan nl:dutch ar:arabic sv:swedish it:italian id:indonesian hi:hindi fi:finnish vi:vietnamese he:hebrew uk:ukrainian el:greek ms:malay cs:czech ro:romanian da:danish hu:hungarian ta:tamil no:norwegian th:thai ur:urdu hr:croatian bg:bulgarian lt:lithuanian la:latin mi:maori ml:malayalam cy:welsh sk:slovak te:telugu fa:persian lv:latvian bn:bengali sr:serbian az:azerbaijani sl:slovenian kn:kannada et:estonian mk:macedonian br:breton eu:basque is:icelandic hy:armenian ne:nepali mn:mongolian bs:bosnian kk:kazakh sq:albanian sw:swahili gl:galician mr:marathi pa:punjabi si:sinhala km:khmer sn:shona yo:yoruba so:somali af:afrikaans oc:occitan ka:georgian be:belarusian tg:tajik sd:sindhi gu:gujarati am:amharic yi:yiddish lo:lao uz:uzbek fo:faroese ht:haitian_creole ps:pashto tk:turkmen nn:nynorsk mt:maltese sa:sanskrit lb:luxembourgish my:myanmar bo:tibetan tl:tagalog mg:malagasy as:assamese tt:tatar haw:hawaiian ln:lingala ha:hausa ba:bashkir jw:javanese su:sundanese yue:cantonese"
    .split(" ")
    .flatMap((pair) => pair.replace("_", " ").split(":"));
const DEFAULT_MODEL = "models/ggml-base.en.bin";

const [dir, ...argv] = process.argv.slice(2);
if (!dir) throw new Error("the fake whisper-cli's state directory is missing");
const err = (text: string) => process.stderr.write(text);

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function nextAnswer(): FakeWhisperAnswer {
  const answers = JSON.parse(
    readFileSync(join(dir!, "answers.json"), "utf8"),
  ) as FakeWhisperAnswer[];
  const countFile = join(dir!, "count");
  const count = existsSync(countFile) ? Number(readFileSync(countFile, "utf8")) : 0;
  writeFileSync(countFile, String(count + 1));
  return answers[Math.min(count, answers.length - 1)] ?? { text: "" };
}

function record(invocation: FakeWhisperInvocation) {
  appendFileSync(join(dir!, "invocations.jsonl"), `${JSON.stringify(invocation)}\n`);
}

/** whisper.cpp's to_timestamp: centiseconds → "HH:MM:SS.mmm" (a comma in JSON). */
function timestamp(centiseconds: number, comma = false): string {
  const ms = centiseconds * 10;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const [h, m, s] = [
    Math.floor(ms / 3_600_000),
    Math.floor(ms / 60_000) % 60,
    Math.floor(ms / 1000) % 60,
  ];
  return `${pad(h)}:${pad(m)}:${pad(s)}${comma ? "," : "."}${pad(ms % 1000, 3)}`;
}

/**
 * JSON as cli.cpp's output_json writes it: tab-indented, strings with only `"` and `\\` escaped —
 * so a control character in a text makes the file invalid, as with the real program.
 */
function asWhisperJson(value: unknown, depth: number): string {
  const indent = "\t".repeat(depth + 1);
  const close = "\t".repeat(depth);
  if (typeof value === "string") return `"${value.replace(/["\\]/g, "\\$&")}"`;
  if (Array.isArray(value))
    return `[\n${value.map((item) => indent + asWhisperJson(item, depth + 1)).join(",\n")}\n${close}]`;
  if (typeof value === "object" && value !== null) {
    const fields = Object.entries(value).map(
      ([key, item]) => `${indent}"${key}": ${asWhisperJson(item, depth + 1)}`,
    );
    return `{\n${fields.join(",\n")}\n${close}}`;
  }
  return String(value);
}

function main(): number {
  const parsed = parseWhisperCliArgs(argv);
  if (!parsed.ok) {
    err(parsed.stderr);
    if (parsed.usage) err(WHISPER_CLI_USAGE);
    return parsed.exitCode;
  }
  const { values, switches, inputs, outputs } = parsed.args;
  const noPrints = switches.has("no-prints");
  const present = inputs.filter((input) => {
    if (input === "-" || isFile(input)) return true;
    err(`error: input file not found '${input}'\n`);
    return false;
  });
  if (present.length === 0) {
    err(`error: no input files specified\n${WHISPER_CLI_USAGE}`);
    return 2;
  }
  const language = (values.language ?? "en").toLowerCase();
  if (language !== "auto" && !LANGUAGES.includes(language)) {
    err(`error: unknown language '${language}'\n${WHISPER_CLI_USAGE}`);
    return 0;
  }
  const model = values.model ?? DEFAULT_MODEL;
  if (!isFile(model)) {
    if (!noPrints) err(`whisper_init_from_file_with_params_no_state: failed to open '${model}'\n`);
    err("error: failed to initialize whisper context\n");
    return 3;
  }

  const answer = nextAnswer();
  const wavs = present.map((input) => (input === "-" ? null : parseWav(readFileSync(input))));
  const invocation: FakeWhisperInvocation = {
    pid: process.pid,
    args: argv,
    model,
    language,
    prompt: values.prompt ?? null,
    threads: values.threads ? Number(values.threads) : 4,
    vadModel: switches.has("vad") ? (values["vad-model"] ?? "") : null,
    inputs: present.map((input, i) => {
      const wav = wavs[i];
      return wav
        ? {
            path: input,
            sampleRate: wav.sampleRate,
            channels: wav.channels,
            durationMs: wav.durationMs,
          }
        : { path: input, sampleRate: null, channels: null, durationMs: null };
    }),
    childPid: null,
  };

  if ("hang" in answer) {
    // A model stuck in a loop: it starts a helper process and never finishes.
    const child = Bun.spawn(["sleep", "86400"], { stdio: ["ignore", "ignore", "ignore"] });
    invocation.childPid = child.pid;
    record(invocation);
    if (answer.ignoreTerm) process.on("SIGTERM", () => {});
    setInterval(() => {}, 60_000);
    return -1;
  }
  record(invocation);
  if ("exitCode" in answer) {
    err(answer.stderr);
    return answer.exitCode;
  }
  if (invocation.vadModel !== null && !isFile(invocation.vadModel)) {
    if (!noPrints)
      err(
        `whisper_vad_init_from_file_with_params_no_state: failed to open VAD model '${invocation.vadModel}'\n`,
      );
    err("whisper-cli: failed to process audio\n");
    return 10;
  }
  const texts = (Array.isArray(answer.text) ? answer.text : [answer.text]).map(
    (text) => ` ${text.trim()}`,
  );
  present.forEach((input, i) => {
    const wav = wavs[i];
    if (!wav) {
      err(`error: failed to read audio file '${input}'\n`);
      return;
    }
    const base = outputs[i] ?? input;
    const total = Math.round(wav.durationMs / 10);
    const segments = texts.map((text, n) => ({
      from: Math.round((total * n) / texts.length),
      to: Math.round((total * (n + 1)) / texts.length),
      text,
    }));
    if (!noPrints)
      err(
        `main: processing '${input}' (${wav.samples.length} samples, ${(wav.durationMs / 1000).toFixed(1)} sec), ${invocation.threads} threads, 1 processors, 5 beams + best of 5, lang = ${language}, task = transcribe, timestamps = ${switches.has("no-timestamps") ? 0 : 1} ...\n`,
      );
    if (base !== "-") {
      const noTimestamps = switches.has("no-timestamps");
      process.stdout.write("\n");
      for (const s of segments)
        process.stdout.write(
          noTimestamps ? s.text : `[${timestamp(s.from)} --> ${timestamp(s.to)}]  ${s.text}\n`,
        );
    }
    const write = (ext: string, content: string, what: string) => {
      if (base === "-") return void process.stdout.write(content);
      writeFileSync(`${base}${ext}`, content);
      err(`${what}: saving output to '${base}${ext}'\n`);
    };
    if (switches.has("output-txt"))
      write(".txt", segments.map((s) => `${s.text.trimStart()}\n`).join(""), "output_txt");
    if (switches.has("output-json")) {
      const json = {
        systeminfo: "AVX = 1 | FAKE = 1",
        model: {
          type: "base",
          multilingual: false,
          vocab: 51864,
          audio: { ctx: 1500, state: 512, head: 8, layer: 6 },
          text: { ctx: 448, state: 512, head: 8, layer: 6 },
          mels: 80,
          ftype: 1,
        },
        params: { model, language, translate: switches.has("translate") },
        result: { language: language === "auto" ? "en" : language },
        transcription: segments.map((s) => ({
          timestamps: { from: timestamp(s.from, true), to: timestamp(s.to, true) },
          offsets: { from: s.from * 10, to: s.to * 10 },
          text: s.text,
        })),
      };
      write(".json", `${asWhisperJson(json, 0)}\n`, "output_json");
    }
  });
  if (!noPrints) err("whisper_print_timings:    total time =   123.45 ms\n");
  return 0;
}

const code = main();
if (code >= 0) process.exit(code);
